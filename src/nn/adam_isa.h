/* Adam's update written once against the vector layer (simd.h), compiled
 * by adam.c once per instruction set. Included after simd.h; defines
 * SIMD_NAME(adam) for the selected level. Internal to adam.c. */

/* The step's scalars in every lane, splat once per update. */
typedef struct {
    vf wd, b1, ob1, b2, ob2, bc2s, eps, step;
} SIMD_NAME(adam_k);

/* torch's formula on one vector of parameters (see adam.c) */
SIMD_TARGET SIMD_INLINE void SIMD_NAME(adam_lanes)(const SIMD_NAME(adam_k) *k,
                                                   vf *theta, vf *m, vf *v,
                                                   const vf *grad)
{
    const vf th = *theta;
    const vf g = *grad + k->wd * th;
    const vf mo = *m * k->b1 + k->ob1 * g;
    const vf ve = *v * k->b2 + k->ob2 * (g * g);
    const vf den = VSQRT(ve) / k->bc2s + k->eps;
    *m = mo;
    *v = ve;
    *theta = th - k->step * (mo / den);
}

/* n parameters, VL at a time; the last n % VL with partial loads and
 * stores */
SIMD_TARGET static void SIMD_NAME(adam)(const fsnsa__adam *a, size_t n,
                                        float *restrict theta,
                                        const float *restrict grad,
                                        float *restrict m, float *restrict v)
{
    const SIMD_NAME(adam_k) k = {
        VSPLAT(a->weight_decay), VSPLAT(a->beta1), VSPLAT(a->one_minus_b1),
        VSPLAT(a->beta2),        VSPLAT(a->one_minus_b2),
        VSPLAT(a->bc2_sqrt),     VSPLAT(a->eps),   VSPLAT(a->step_size)};
    size_t i = 0;
    for (; i + VL <= n; i += VL) {
        vf th = VLOAD(theta + i), mo = VLOAD(m + i), ve = VLOAD(v + i);
        const vf g = VLOAD(grad + i);
        SIMD_NAME(adam_lanes)(&k, &th, &mo, &ve, &g);
        VSTORE(m + i, mo);
        VSTORE(v + i, ve);
        VSTORE(theta + i, th);
    }
    if (i < n) {
        const size_t left = n - i;
        vf th = VLOAD_N(theta + i, left), mo = VLOAD_N(m + i, left),
           ve = VLOAD_N(v + i, left);
        const vf g = VLOAD_N(grad + i, left);
        SIMD_NAME(adam_lanes)(&k, &th, &mo, &ve, &g);
        VSTORE_N(m + i, mo, left);
        VSTORE_N(v + i, ve, left);
        VSTORE_N(theta + i, th, left);
    }
}
