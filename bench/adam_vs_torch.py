#!/usr/bin/python3
"""How torch 1.13's CPU Adam rounds, against fsnsa's Adam (src/adam.c).

Runs 10 steps of torch.optim.Adam (single-tensor path, the 1.13 default)
on 100000 float32 parameters (uniform(-1, 1) weights, N(0, 0.1^2)
gradients, lr 1e-3, weight decay 1e-4) and, from the same state before
each step (torch's), one step of
  - fsnsa's formula: every operation rounded on its own, and
  - a fused emulation: add(x, alpha=a) and addcmul_ as one fused
    multiply-add, addcdiv_ as (value * t1) / t2,
then counts the elements of the first and second moments and of the
parameters that differ from torch's, and the largest difference in units
of 2^-24 of the magnitude of the terms combined. docs/algorithm.md quotes
the output. Run: /usr/bin/python3 bench/adam_vs_torch.py
"""
import numpy as np
import torch

f32 = np.float32


def fma(a, b, c):
    """a*b + c rounded once (a*b is exact in double; the double rounding
    of the sum before the float rounding is a ~2^-29 event)."""
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64)
            + np.asarray(c, np.float64)).astype(f32)


def main():
    n, steps = 100000, 10
    lr, b1, b2, eps, wd = 1e-3, 0.9, 0.999, 1e-8, 1e-4
    rng = np.random.default_rng(1)
    p0 = rng.uniform(-1, 1, n).astype(f32)
    grads = [(rng.standard_normal(n) * 0.1).astype(f32) for _ in range(steps)]
    param = torch.tensor(p0.copy(), requires_grad=True)
    opt = torch.optim.Adam([param], lr=lr, betas=(b1, b2), eps=eps,
                           weight_decay=wd)
    B1, B2, OB1, OB2 = f32(b1), f32(b2), f32(1 - b1), f32(1 - b2)
    WD, EPS = f32(wd), f32(eps)
    p, m, v = p0.copy(), np.zeros(n, f32), np.zeros(n, f32)
    count, worst = {}, {}
    for t in range(1, steps + 1):
        g = grads[t - 1]
        ss, bc2s = f32(lr / (1 - b1 ** t)), f32(np.sqrt(1 - b2 ** t))
        # fsnsa (src/adam.c)
        g1 = g + WD * p
        m1 = m * B1 + OB1 * g1
        v1 = v * B2 + OB2 * (g1 * g1)
        p1 = p - ss * (m1 / (np.sqrt(v1) / bc2s + EPS))
        # the fused emulation
        g2 = fma(p, WD, g)
        m2 = fma(g2, OB1, m * B1)
        v2 = fma(OB2 * g2, g2, v * B2)
        p2 = p + ((-ss) * m2) / (np.sqrt(v2) / bc2s + EPS)
        param.grad = torch.tensor(g)
        opt.step()
        st = opt.state[param]
        tp, tm, tv = (x.detach().numpy().copy()
                      for x in (param, st['exp_avg'], st['exp_avg_sq']))
        terms = {'m': np.abs(m * B1) + np.abs(OB1 * g1),
                 'v': np.abs(v * B2) + np.abs(OB2 * g1 * g1),
                 'param': np.abs(p) + np.abs(ss * m1 / (np.sqrt(v1) / bc2s + EPS))}
        for name, ours, fused, ref in (('m', m1, m2, tm), ('v', v1, v2, tv),
                                       ('param', p1, p2, tp)):
            c = count.setdefault(name, [0, 0])
            c[0] += int((ours != ref).sum())
            c[1] += int((fused != ref).sum())
            size = terms[name].astype(np.float64) * 2.0 ** -24
            ok = size > 0
            d = np.abs(ours.astype(np.float64) - ref)[ok] / size[ok]
            worst[name] = max(worst.get(name, 0.0), float(d.max()))
        p, m, v = tp, tm, tv
    total = n * steps
    for name in ('m', 'v', 'param'):
        print("%-5s fsnsa differs from torch in %6.2f %% of %d element-steps "
              "(at most %.1f x 2^-24 of the terms), the fused emulation in "
              "%.2f %%" % (name, 100.0 * count[name][0] / total, total,
                           worst[name], 100.0 * count[name][1] / total))


if __name__ == "__main__":
    main()
