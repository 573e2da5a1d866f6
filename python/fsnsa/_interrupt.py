"""A library call that Ctrl-C stops: the call runs on a worker thread
while the main thread waits, where Python delivers signals; on
KeyboardInterrupt the main thread sets the library's stop flag
(fsnsa_train_options.stop, polled once per training step), waits for the
call to return and re-raises."""
import ctypes
import threading


def run_stoppable(fn, options, *args):
    """fn(*args) with options.train.stop pointing at a flag that a
    KeyboardInterrupt in the main thread sets."""
    stop = ctypes.c_int(0)
    options.train.stop = ctypes.addressof(stop)
    if threading.current_thread() is not threading.main_thread():
        # Signals reach the main thread only: nothing to stop from here.
        return fn(*args)
    box = {"stop": stop}  # keeps the flag alive as long as the worker

    def work():
        try:
            box["out"] = fn(*args)
        except BaseException as e:  # handed to the caller's thread
            box["err"] = e

    worker = threading.Thread(target=work, name="fsnsa-fit", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
    except KeyboardInterrupt:
        stop.value = 1
        while worker.is_alive():
            try:
                worker.join(0.05)
            except KeyboardInterrupt:
                pass  # a second Ctrl-C: the stop is already on its way
        raise
    if "err" in box:
        raise box["err"]
    return box["out"]
