"""Regression against PyTorch: from the same initial weights, a few
epochs of dense full-batch training with Adam on nn.MSELoss agree with
fsnsa's (task regression, batch 0, no shuffle) to float rounding. The
library is called through ctypes directly (fsnsa_train on a data set made
by fsnsa_dataset_from_arrays and fsnsa_dataset_set_target)."""
import ctypes
from ctypes import POINTER, byref, c_float, c_size_t, c_void_p

import numpy as np
import pytest

from fsnsa import _lib

torch = pytest.importorskip(
    "torch", reason="PyTorch is absent (Debian's python3-torch: "
    "scripts/deps.sh python)")

lib = _lib.lib
lib.fsnsa_dataset_set_target.restype = ctypes.c_int
lib.fsnsa_dataset_set_target.argtypes = [c_void_p, c_void_p,
                                         POINTER(_lib.Error)]
lib.fsnsa_net_create.restype = ctypes.c_int
lib.fsnsa_net_create.argtypes = [c_size_t, c_size_t, c_size_t,
                                 ctypes.c_uint64, POINTER(POINTER(_lib.Net)),
                                 POINTER(_lib.Error)]
lib.fsnsa_train.restype = ctypes.c_int
lib.fsnsa_train.argtypes = [c_void_p, POINTER(_lib.TrainOptions),
                            POINTER(_lib.Net), POINTER(POINTER(_lib.Net)),
                            POINTER(_lib.Error)]


def arr(ptr, n):
    return np.ctypeslib.as_array(ptr, shape=(n,)).copy()


def net_arrays(net):
    n = net.contents
    return (arr(n.W, n.h * n.p).reshape(n.h, n.p), arr(n.b, n.h),
            arr(n.beta, n.h), arr(n.c, 1))


def test_mse_training_matches_torch():
    n, p, h, epochs, lr, wd = 64, 5, 16, 8, 1e-2, 1e-4
    rng = np.random.RandomState(3)
    X = rng.uniform(-1, 1, (n, p)).astype(np.float32)
    t = (2 * X[:, 0] - X[:, 1] + 3 * X[:, 2] * X[:, 3]).astype(np.float32)
    err = _lib.Error()
    d = c_void_p()
    assert lib.fsnsa_dataset_from_arrays(n, p, X.ctypes.data, None, 2,
                                         byref(d), byref(err)) == 0
    assert lib.fsnsa_dataset_set_target(d, t.ctypes.data, byref(err)) == 0
    init = POINTER(_lib.Net)()
    assert lib.fsnsa_net_create(p, h, 1, 7, byref(init), byref(err)) == 0
    W, b, beta, c = net_arrays(init)
    o = _lib.TrainOptions()
    lib.fsnsa_train_options_default(byref(o))
    o.task = 1  # FSNSA_TASK_REGRESSION
    o.method = 0  # dense
    o.hidden = h
    o.epochs = epochs
    o.batch = 0  # full batch
    o.shuffle = 0
    o.lr = lr
    o.weight_decay = wd
    out = POINTER(_lib.Net)()
    st = lib.fsnsa_train(d, byref(o), init, byref(out), byref(err))
    assert st == 0, err.msg.decode()
    got = net_arrays(out)
    lib.fsnsa_net_free(out)
    lib.fsnsa_net_free(init)
    lib.fsnsa_dataset_free(d)

    torch.manual_seed(0)
    l1, l2 = torch.nn.Linear(p, h), torch.nn.Linear(h, 1)
    with torch.no_grad():
        l1.weight.copy_(torch.from_numpy(W))
        l1.bias.copy_(torch.from_numpy(b))
        l2.weight.copy_(torch.from_numpy(beta.reshape(1, h)))
        l2.bias.copy_(torch.from_numpy(c))
    model = torch.nn.Sequential(l1, torch.nn.ReLU(), l2)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
    loss_fn = torch.nn.MSELoss()
    xt, tt = torch.from_numpy(X), torch.from_numpy(t).reshape(n, 1)
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(xt), tt)
        loss.backward()
        opt.step()
    want = (l1.weight.detach().numpy(), l1.bias.detach().numpy(),
            l2.weight.detach().numpy().reshape(h),
            l2.bias.detach().numpy())
    for name, g, w, start in zip(("W", "b", "beta", "c"), got, want,
                                 (W, b, beta, c)):
        assert not np.array_equal(g, start), name  # it trained
        # float rounding: a few ulps of the weights after 8 Adam steps
        np.testing.assert_allclose(g, w, rtol=2e-5, atol=2e-6, err_msg=name)
