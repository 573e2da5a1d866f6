"""The library through ctypes: where libfsnsa.so.0 is found, the mirrored
structs of include/fsnsa.h that the binding reads or fills, and the
translation of a library status into a Python exception."""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double,
                    c_float, c_int, c_int32, c_size_t, c_uint64, c_void_p)
from pathlib import Path

# fsnsa_status (include/fsnsa.h)
OK, ERR_ARG, ERR_NOMEM, ERR_IO, ERR_PARSE, ERR_FORMAT, ERR_LIMIT, \
    ERR_NUMERIC, ERR_INTERRUPTED = range(9)

ERRMSG_MAX = 512


class Error(Structure):
    _fields_ = [("code", c_int), ("msg", c_char * ERRMSG_MAX)]


class EpochInfo(Structure):
    _fields_ = [("epoch", c_int), ("epochs", c_int), ("hidden", c_size_t),
                ("features", c_size_t), ("feature_ids", POINTER(c_size_t)),
                ("loss", c_double), ("seconds", c_double), ("net", c_void_p),
                ("n_dropped", c_size_t), ("dropped_ids", POINTER(c_size_t)),
                ("dropped_relevance", POINTER(c_float)),
                ("validation_loss", c_double),
                ("validation_accuracy", c_double)]


EPOCH_FN = CFUNCTYPE(c_int, POINTER(EpochInfo), c_void_p)


class TrainOptions(Structure):
    _fields_ = [("method", c_int), ("hidden", c_size_t),
                ("start_hidden", c_size_t), ("features", c_size_t),
                ("epochs", c_int), ("mu", c_double), ("batch", c_size_t),
                ("lr", c_double), ("beta1", c_double), ("beta2", c_double),
                ("eps", c_double), ("weight_decay", c_double),
                ("seed", c_uint64), ("shuffle", c_int),
                ("on_epoch", EPOCH_FN), ("on_epoch_ctx", c_void_p),
                ("stop", c_void_p), ("keep_going", c_int),
                ("class_weight", c_int), ("class_weights", POINTER(c_float)),
                ("validation_fraction", c_double), ("keep", c_int),
                ("early_stopping", c_int),
                ("variant", c_int), ("task", c_int)]


class FitOptions(Structure):
    _fields_ = [("train", TrainOptions), ("scale", c_int), ("missing", c_int),
                ("restarts", c_size_t), ("threads", c_int),
                ("refit", c_int)]


class TrainReport(Structure):
    _fields_ = [("outcome", c_int), ("epochs", c_int), ("loss", c_double),
                ("constant_loss", c_double), ("first_epoch_loss", c_double),
                ("lowest_epoch_loss", c_double),
                ("last_epoch_loss", c_double), ("chosen_epoch", c_int),
                ("validation_loss", c_double),
                ("validation_accuracy", c_double), ("stopped_early", c_int)]


class Net(Structure):
    _fields_ = [("p_in", c_size_t), ("p", c_size_t), ("h", c_size_t),
                ("n_out", c_size_t), ("n_classes", c_size_t),
                ("features", POINTER(c_size_t)), ("W", POINTER(c_float)),
                ("b", POINTER(c_float)), ("beta", POINTER(c_float)),
                ("c", POINTER(c_float))]


class Schema(Structure):
    _fields_ = [("n_columns", c_size_t), ("columns", c_void_p),
                ("n_classes", c_size_t), ("class_names", POINTER(c_char_p)),
                ("label_name", c_char_p), ("p", c_size_t)]


class Scaler(Structure):
    _fields_ = [("kind", c_int), ("p", c_size_t), ("shift", c_void_p),
                ("mult", c_void_p), ("fill", c_void_p)]


class Layout(Structure):
    _fields_ = [("format", c_int), ("delimiter", c_char), ("decimal", c_char),
                ("header", c_int), ("fields", c_size_t), ("label", c_int),
                ("label_field", c_size_t)]


class ReadRecord(Structure):
    _fields_ = [("layout", Layout), ("label_column", c_char * 24),
                ("na_values", c_char_p), ("ignore_columns", c_char_p)]


class SelectOptions(Structure):
    _fields_ = [("folds", c_size_t), ("finetune_epochs", c_int),
                ("n_sizes", c_size_t), ("sizes", POINTER(c_size_t)),
                ("score", c_int), ("refit_epochs", c_int),
                ("rule", c_int)]


class SelectResult(Structure):
    _fields_ = [("n_sizes", c_size_t), ("sizes", POINTER(c_size_t)),
                ("mean", POINTER(c_double)), ("se", POINTER(c_double)),
                ("folds", c_size_t), ("fold_loss", POINTER(c_double)),
                ("chosen", c_size_t), ("k", c_size_t), ("rule", c_int)]


class Model(Structure):
    # fsnsa_model whole (the library allocates and frees it; the binding
    # reads it and hands it back to the library).
    _fields_ = [("net", POINTER(Net)), ("schema", Schema), ("scaler", Scaler),
                ("options", TrainOptions), ("missing", c_int),
                ("train_loss", c_double), ("read", ReadRecord),
                ("drop_epoch", POINTER(c_int)),
                ("relevance", POINTER(c_float)), ("restarts", c_size_t),
                ("stability", POINTER(c_float)),
                ("class_weights", POINTER(c_float)), ("chosen_epoch", c_int),
                ("validation_loss", c_double),
                ("validation_accuracy", c_double),
                ("target_mean", c_double), ("target_sd", c_double),
                ("recall", POINTER(c_double)),
                ("balanced_accuracy", c_double),
                ("recall_on_validation", c_int),
                ("select_features", SelectResult),
                ("select_hidden", SelectResult), ("refit", c_int)]


def _candidates():
    env = os.environ.get("FSNSA_LIBRARY")
    if env:
        return [env]
    here = Path(__file__).resolve().parent
    # python/fsnsa/ in the source tree: the build tree is ../../build
    return [str(here.parent.parent / "build" / "libfsnsa.so.0"),
            "libfsnsa.so.0"]


def _load():
    tried = []
    for name in _candidates():
        if os.sep in name and not os.path.exists(name):
            tried.append(name + " (absent)")
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            tried.append(f"{name} ({e})")
    raise ImportError("fsnsa: cannot load the library libfsnsa.so.0; tried "
                      + "; ".join(tried)
                      + ". Build it (make) or set FSNSA_LIBRARY to its path.")


lib = _load()


def _sig(name, res, *args):
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = list(args)


_sig("fsnsa_fit_options_default", None, POINTER(FitOptions))
_sig("fsnsa_train_options_default", None, POINTER(TrainOptions))
_sig("fsnsa_dataset_from_arrays", c_int, c_size_t, c_size_t, c_void_p,
     c_void_p, c_size_t, POINTER(c_void_p), POINTER(Error))
_sig("fsnsa_dataset_set_names", c_int, c_void_p, POINTER(c_char_p), c_char_p,
     POINTER(c_char_p), POINTER(Error))
_sig("fsnsa_dataset_set_target", c_int, c_void_p, c_void_p, POINTER(Error))
_sig("fsnsa_dataset_free", None, c_void_p)
_sig("fsnsa_model_fit", c_int, c_void_p, POINTER(FitOptions), c_void_p,
     POINTER(POINTER(Model)), POINTER(TrainReport), POINTER(Error))
_sig("fsnsa_model_fit_restarts", c_int, c_void_p, POINTER(FitOptions),
     POINTER(POINTER(Model)), c_void_p, POINTER(Error))
_sig("fsnsa_model_predict", c_int, POINTER(Model), c_void_p, c_void_p,
     POINTER(Error))
_sig("fsnsa_model_save", c_int, POINTER(Model), c_char_p, POINTER(Error))
_sig("fsnsa_model_load", c_int, c_char_p, POINTER(POINTER(Model)),
     POINTER(Error))
_sig("fsnsa_model_free", None, POINTER(Model))
_sig("fsnsa_net_feature_scores", None, POINTER(Net), POINTER(c_float))
_sig("fsnsa_net_copy", c_int, POINTER(Net), POINTER(POINTER(Net)),
     POINTER(Error))
_sig("fsnsa_net_normalize", None, POINTER(Net))
_sig("fsnsa_net_free", None, POINTER(Net))
_sig("fsnsa_model_importance_order", c_int, POINTER(Model), POINTER(c_size_t),
     POINTER(Error))
_sig("fsnsa_select_options_default", None, POINTER(SelectOptions))
_sig("fsnsa_select_features", c_int, c_void_p, POINTER(FitOptions),
     POINTER(SelectOptions), POINTER(SelectResult), POINTER(Error))
_sig("fsnsa_select_result_clear", None, POINTER(SelectResult))
_sig("fsnsa_select_hidden_default", POINTER(c_size_t), POINTER(c_size_t))
_sig("fsnsa_select_hidden", c_int, c_void_p, POINTER(FitOptions),
     POINTER(SelectOptions), POINTER(SelectResult), POINTER(Error))
_sig("fsnsa_train_default_hidden", c_size_t, c_int)
_sig("fsnsa_model_set_selection", c_int, POINTER(Model), POINTER(SelectResult),
     POINTER(SelectResult), POINTER(Error))
_sig("fsnsa_schema_feature_names", c_int, POINTER(Schema),
     POINTER(POINTER(c_char_p)), POINTER(Error))
_sig("fsnsa_strings_free", None, POINTER(c_char_p), c_size_t)
for _kind in ("method", "scale", "missing", "task", "variant", "refit",
              "select_score", "select_rule"):
    _sig(f"fsnsa_{_kind}_name", c_char_p, c_int)
    _sig(f"fsnsa_{_kind}_parse", c_int, c_char_p)
    _sig(f"fsnsa_{_kind}_names", POINTER(c_char_p))


def _check_layout():
    """The mirrored fsnsa_train_options and fsnsa_select_options must not
    be shorter than the library's: their *_default functions clear the
    whole struct, so a byte touched past our size means the header grew
    (update the mirror)."""
    for struct, c_name in ((TrainOptions, "fsnsa_train_options"),
                           (SelectOptions, "fsnsa_select_options")):
        fill = getattr(lib, c_name + "_default")
        n = ctypes.sizeof(struct)
        buf = (ctypes.c_ubyte * (n + 64))(*([0xA5] * (n + 64)))
        fill(ctypes.cast(buf, POINTER(struct)))
        if any(b != 0xA5 for b in buf[n:]):
            raise ImportError(f"fsnsa: the library's {c_name} is "
                              "larger than python/fsnsa/_lib.py mirrors; "
                              "the binding and the library do not match")


_check_layout()


def names(kind):
    """The names of an option enum in value order (src/core/names.c)."""
    arr = getattr(lib, f"fsnsa_{kind}_names")()
    out, i = [], 0
    while arr[i] is not None:
        out.append(arr[i].decode())
        i += 1
    return out


def parse(kind, value, param):
    v = getattr(lib, f"fsnsa_{kind}_parse")(str(value).encode())
    if v < 0:
        raise ValueError(f"{param}={value!r}: expected one of "
                         + ", ".join(names(kind)))
    return v


def name(kind, value):
    return getattr(lib, f"fsnsa_{kind}_name")(value).decode()


def raise_for(status, err):
    """A library status as a Python exception carrying its message."""
    if status == OK:
        return
    msg = err.msg.decode("utf-8", "replace")
    if status == ERR_NOMEM:
        raise MemoryError(msg)
    if status in (ERR_NUMERIC, ERR_INTERRUPTED):
        raise RuntimeError(msg)
    if status == ERR_IO:
        raise OSError(msg)
    raise ValueError(msg)
