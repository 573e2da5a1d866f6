/* The inner loops of the training step, written once against the vector
 * layer (simd.h) and included by kernels.c after each inclusion of simd.h:
 * for AVX-512, for AVX2 + FMA and for the base level. kernels.c also
 * defines BWD_NBMAX, the column vectors per gW tile (registers: 32 zmm,
 * 16 ymm). Every copy does the same IEEE operations in the same order, so
 * all three give the same bits. Memory layouts are in 16-lane units on
 * every level (row blocks of 16 rows, rows padded to 16 floats); the
 * 8-lane level handles each 16 as two vectors, which changes which sums
 * run side by side but not the order of any one sum (kernels.h). Internal
 * to kernels.c. */

#define VPR (16 / VL) /* native vectors per 16 lanes */

/* JT nodes x NVV row vectors of the forward; C1: binary output kept in
 * registers (lacc) */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(fwd_tile)(const float *restrict W, const float *restrict b,
                    const float *restrict beta, const float *restrict xT,
                    float *restrict actT, float *restrict lp, vf *lacc,
                    size_t j, size_t p, size_t C, const int JT, const int NVV,
                    const int C1)
{
    const size_t RB = (size_t)VL * (size_t)NVV;
    vf acc[8][8];
    for (int t = 0; t < JT; t++)
        for (int v = 0; v < NVV; v++)
            acc[t][v] = (vf){0};
    const float *wr[8];
    for (int t = 0; t < JT; t++)
        wr[t] = W + (j + t) * p;
    for (size_t i = 0; i < p; i++) {
        vf xv[8];
        for (int v = 0; v < NVV; v++)
            xv[v] = *(const vf *)(xT + i * RB + VL * v);
        for (int t = 0; t < JT; t++) {
            const vf wv = VSPLAT(wr[t][i]);
            for (int v = 0; v < NVV; v++)
                acc[t][v] = VFMA(xv[v], wv, acc[t][v]);
        }
    }
    for (int t = 0; t < JT; t++) {
        const vf bj = VSPLAT(b[j + t]);
        for (int v = 0; v < NVV; v++) {
            vf z = acc[t][v] + bj;
            vf a = VRELU(z);
            *(vf *)(actT + (j + t) * RB + VL * v) = a;
            if (C1) {
                const vf be = VSPLAT(beta[j + t]);
                lacc[v] = VFMA(a, be, lacc[v]);
            } else {
                const float *bt = beta + (j + t) * C;
                for (size_t k = 0; k < C; k++) {
                    vf *l = (vf *)(lp + k * RB + VL * v);
                    const vf bk = VSPLAT(bt[k]);
                    *l = VFMA(a, bk, *l);
                }
            }
        }
    }
}

/* Forward of chunk ch for one row block of 16*NV rows */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(fwd_chunk_nv)(const fsnsa_net *net, const fsnsa__work *w, size_t ch,
                        const int NV, const int C1)
{
    const int NVV = NV * VPR;
    const size_t p = net->p, C = net->n_out, RB = 16 * (size_t)NV;
    size_t j0 = ch * JC, j1 = j0 + JC < net->h ? j0 + JC : net->h;
    float *lp = w->lp + ch * C * RB;
    vf lacc[8];
    for (int v = 0; v < NVV; v++)
        lacc[v] = (vf){0};
    if (!C1)
        memset(lp, 0, C * RB * sizeof(float));
    /* about 8 independent accumulators (the FMA latency is 4 cycles and
     * two can start per cycle), as many as the registers hold: 8 nodes x
     * 1 vector, 4 x 2, 2 x 4, 1 x 8 */
    const int JT = NVV == 1 ? 8 : NVV == 2 ? 4 : NVV <= 4 ? 2 + 2 * (VL == 16) : 1;
    size_t j = j0;
    if (JT == 8)
        for (; j + 8 <= j1; j += 8)
            SIMD_NAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp,
                            lacc, j, p, C, 8, NVV, C1);
    if (JT >= 4)
        for (; j + 4 <= j1; j += 4)
            SIMD_NAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp,
                            lacc, j, p, C, 4, NVV, C1);
    if (JT >= 2)
        for (; j + 2 <= j1; j += 2)
            SIMD_NAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp,
                            lacc, j, p, C, 2, NVV, C1);
    for (; j < j1; j++)
        SIMD_NAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp, lacc,
                        j, p, C, 1, NVV, C1);
    if (C1)
        for (int v = 0; v < NVV; v++)
            *(vf *)(lp + VL * v) = lacc[v];
}

SIMD_TARGET static void
SIMD_NAME(fwd)(const fsnsa_net *net, const fsnsa__work *w, size_t ch)
{
    int c1 = net->n_out == 1;
    switch (w->RB / 16) {
    case 1: c1 ? SIMD_NAME(fwd_chunk_nv)(net, w, ch, 1, 1) : SIMD_NAME(fwd_chunk_nv)(net, w, ch, 1, 0); break;
    case 2: c1 ? SIMD_NAME(fwd_chunk_nv)(net, w, ch, 2, 1) : SIMD_NAME(fwd_chunk_nv)(net, w, ch, 2, 0); break;
    case 3: c1 ? SIMD_NAME(fwd_chunk_nv)(net, w, ch, 3, 1) : SIMD_NAME(fwd_chunk_nv)(net, w, ch, 3, 0); break;
    default: c1 ? SIMD_NAME(fwd_chunk_nv)(net, w, ch, 4, 1) : SIMD_NAME(fwd_chunk_nv)(net, w, ch, 4, 0); break;
    }
}

/* dz of node j for the block's rows, into dz[0..16*NV):
 * dz = (sum_k g[k] beta[j,k], sequential in k) masked by act > 0 */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(dz_node)(const fsnsa_net *net, const fsnsa__work *w, size_t j,
                   float *restrict dz, const int NV)
{
    const size_t C = net->n_out, RB = 16 * (size_t)NV;
    const float *restrict a = w->actT + j * RB;
    const vf zero = {0};
    for (int v = 0; v < NV * VPR; v++) {
        vf s;
        if (C == 1) {
            s = *(const vf *)(w->gT + VL * v) * net->beta[j];
        } else {
            const float *bt = net->beta + j * C;
            s = *(const vf *)(w->gT + VL * v) * bt[0];
            for (size_t k = 1; k < C; k++) {
                const vf bk = VSPLAT(bt[k]);
                s = VFMA(*(const vf *)(w->gT + k * RB + VL * v), bk, s);
            }
        }
        vi m = *(const vf *)(a + VL * v) > zero;
        *(vf *)(dz + VL * v) = (vf)((vi)s & m);
    }
}

/* gW rows j..j+JT-1, column vectors [u0, u0+NB) (of VL floats), over rows
 * r < Bv: acc = fma(x[r], dz[r], acc) in row order, continued from gWx
 * unless first. Then either stored to gWx or, on the last row block of a
 * training step (c->adam set), handed to fuse_tile: Adam updates those
 * weights at once, while the next tile's FMAs keep the other units busy. */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(bwd_w_tile)(const bwd_ctx *c, const float *restrict dz, size_t j,
                      size_t u0, const int JT, const int NB, const int NV)
{
    const size_t RB = 16 * (size_t)NV, P16 = c->P16, Bv = c->Bv;
    float *restrict gWx = c->gWx;
    const float *restrict xr = c->xr;
    vf acc[JT][NB];
    for (int t = 0; t < JT; t++)
        for (int u = 0; u < NB; u++)
            acc[t][u] = c->first ? (vf){0}
                                 : *(const vf *)(gWx + (j + t) * P16 + VL * (u0 + u));
    for (size_t r = 0; r < Bv; r++) {
        vf xv[8];
        for (int u = 0; u < NB; u++)
            xv[u] = *(const vf *)(xr + r * P16 + VL * (u0 + u));
        for (int t = 0; t < JT; t++) {
            const vf d = VSPLAT(dz[(size_t)t * RB + r]);
            for (int u = 0; u < NB; u++)
                acc[t][u] = VFMA(xv[u], d, acc[t][u]);
        }
    }
    if (c->adam == NULL) {
        for (int t = 0; t < JT; t++)
            for (int u = 0; u < NB; u++)
                *(vf *)(gWx + (j + t) * P16 + VL * (u0 + u)) = acc[t][u];
        return;
    }
    float tb[JT * NB * VL] __attribute__((aligned(64)));
    for (int t = 0; t < JT; t++)
        for (int u = 0; u < NB; u++)
            *(vf *)(tb + (t * NB + u) * VL) = acc[t][u];
    fuse_tile(c, j, (size_t)JT, VL * u0, (size_t)NB * VL, tb);
}

SIMD_TARGET SIMD_INLINE void
SIMD_NAME(bwd_w_nodes)(const bwd_ctx *c, const float *restrict dz, size_t j,
                       size_t nvec, const int JT, const int NV)
{
    size_t u0 = 0;
    for (; u0 + BWD_NBMAX <= nvec; u0 += BWD_NBMAX)
        SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, BWD_NBMAX, NV);
    switch (nvec - u0) {
    case 1: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 1, NV); break;
    case 2: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 2, NV); break;
    case 3: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 3, NV); break;
#if BWD_NBMAX > 4
    case 4: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 4, NV); break;
    case 5: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 5, NV); break;
    case 6: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 6, NV); break;
    case 7: SIMD_NAME(bwd_w_tile)(c, dz, j, u0, JT, 7, NV); break;
#endif
    default: break;
    }
}

/* gbeta rows j..j+NT-1 (C > 1) over the block's rows r < Bv */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(gbeta_tile)(fsnsa__work *w, size_t j, size_t Bv, int first,
                      const int NT, const int NV)
{
    const size_t K16 = w->K16, nk = K16 / VL, RB = 16 * (size_t)NV;
    for (size_t u = 0; u < nk; u++) {
        vf acc[4];
        for (int t = 0; t < NT; t++)
            acc[t] = first ? (vf){0}
                           : *(const vf *)(w->gBx + (j + (size_t)t) * K16 + VL * u);
        for (size_t r = 0; r < Bv; r++) {
            const vf gv = *(const vf *)(w->gr + r * K16 + VL * u);
            for (int t = 0; t < NT; t++) {
                const vf av = VSPLAT(w->actT[(j + (size_t)t) * RB + r]);
                acc[t] = VFMA(gv, av, acc[t]);
            }
        }
        for (int t = 0; t < NT; t++)
            *(vf *)(w->gBx + (j + (size_t)t) * K16 + VL * u) = acc[t];
    }
}

/* gbeta of node j, binary output: t = sum over the block's 16-row vectors
 * of act * g (lane-wise, in vector order), then the fixed 16-lane tree
 * ((l, l+8), (l, l+4), (l, l+2), (0, 1)) of hsum16; with 8-lane vectors
 * the two halves of each 16 are two chains and the tree's first step adds
 * them */
SIMD_TARGET SIMD_INLINE float
SIMD_NAME(gbeta1_node)(const fsnsa__work *w, size_t j, const int NV)
{
    const vf *g = (const vf *)w->gT;
    const vf *a = (const vf *)(w->actT + j * 16 * (size_t)NV);
#if VL == 16
    vf t = a[0] * g[0];
    for (int v = 1; v < NV; v++)
        t = VFMA(a[v], g[v], t);
    return hsum16((const v16f *)&t);
#else
    vf lo = a[0] * g[0], hi = a[1] * g[1];
    for (int v = 1; v < NV; v++) {
        lo = VFMA(a[2 * v], g[2 * v], lo);
        hi = VFMA(a[2 * v + 1], g[2 * v + 1], hi);
    }
    const vf s8 = lo + hi;
    float s4[4], s2[2];
    for (int l = 0; l < 4; l++)
        s4[l] = s8[l] + s8[l + 4];
    for (int l = 0; l < 2; l++)
        s2[l] = s4[l] + s4[l + 2];
    return s2[0] + s2[1];
#endif
}

/* Backward of chunk ch for one row block (Bv valid rows of 16*NV) */
SIMD_TARGET SIMD_INLINE void
SIMD_NAME(bwd_chunk_nv)(const fsnsa_net *net, fsnsa__work *w, size_t ch,
                        size_t Bv, int first, const fsnsa__adam *adam,
                        const fsnsa__moments *mo, const int NV)
{
    const size_t p = net->p, C = net->n_out, RB = 16 * (size_t)NV,
                 P16 = w->P16;
    const size_t nvec = (p + 1 + 15) / 16 * VPR; /* vectors per gW row */
    size_t j0 = ch * JC, j1 = j0 + JC < net->h ? j0 + JC : net->h;
    float dz[8 * FSNSA__RBMAX] __attribute__((aligned(64)));
    /* enough independent accumulators to hide the FMA latency: 8 nodes
     * when a row of gW is one vector (p < 16, 16 lanes), 4 for two, else
     * 2 nodes x up to BWD_NBMAX vectors */
    const size_t JT = nvec == 1 ? 8 : nvec == 2 ? 4 : 2;
    const bwd_ctx c = {w->gWx, w->xr, net->W, w->gWc, w->gbv, P16, Bv, p,
                       first, adam, mo};
    size_t j = j0;
    for (; j + JT <= j1; j += JT) {
        for (size_t t = 0; t < JT; t++)
            SIMD_NAME(dz_node)(net, w, j + t, dz + t * RB, NV);
        if (JT == 8)
            SIMD_NAME(bwd_w_tile)(&c, dz, j, 0, 8, 1, NV);
        else if (JT == 4)
            SIMD_NAME(bwd_w_tile)(&c, dz, j, 0, 4, 2, NV);
        else
            SIMD_NAME(bwd_w_nodes)(&c, dz, j, nvec, 2, NV);
    }
    for (; j < j1; j++) {
        SIMD_NAME(dz_node)(net, w, j, dz, NV);
        SIMD_NAME(bwd_w_nodes)(&c, dz, j, nvec, 1, NV);
    }
    /* gbeta */
    if (C == 1) {
        j = j0;
#if VL == 16
        /* 16 nodes at once with shuffles: the same additions as
         * gbeta1_node */
        const v16f *g = (const v16f *)w->gT;
        for (; j + 16 <= j1; j += 16) {
            v16f T[16], P[8], Q[4], R[2], S;
            for (int m = 0; m < 16; m++) {
                const v16f *a = (const v16f *)(w->actT + (j + (size_t)m) * RB);
                T[m] = a[0] * g[0];
                for (int v = 1; v < NV; v++)
                    T[m] = VFMA(a[v], g[v], T[m]);
            }
            for (int k = 0; k < 8; k++)
                P[k] = __builtin_shufflevector(T[2 * k], T[2 * k + 1], 0, 1, 2, 3, 4, 5, 6, 7,
                                               16, 17, 18, 19, 20, 21, 22, 23) +
                       __builtin_shufflevector(T[2 * k], T[2 * k + 1], 8, 9, 10, 11, 12, 13, 14,
                                               15, 24, 25, 26, 27, 28, 29, 30, 31);
            for (int k = 0; k < 4; k++)
                Q[k] = __builtin_shufflevector(P[2 * k], P[2 * k + 1], 0, 1, 2, 3, 8, 9, 10, 11,
                                               16, 17, 18, 19, 24, 25, 26, 27) +
                       __builtin_shufflevector(P[2 * k], P[2 * k + 1], 4, 5, 6, 7, 12, 13, 14, 15,
                                               20, 21, 22, 23, 28, 29, 30, 31);
            for (int k = 0; k < 2; k++)
                R[k] = __builtin_shufflevector(Q[2 * k], Q[2 * k + 1], 0, 1, 4, 5, 8, 9, 12, 13,
                                               16, 17, 20, 21, 24, 25, 28, 29) +
                       __builtin_shufflevector(Q[2 * k], Q[2 * k + 1], 2, 3, 6, 7, 10, 11, 14, 15,
                                               18, 19, 22, 23, 26, 27, 30, 31);
            S = __builtin_shufflevector(R[0], R[1], 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22,
                                        24, 26, 28, 30) +
                __builtin_shufflevector(R[0], R[1], 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,
                                        25, 27, 29, 31);
            float *gb = w->gbc + j;
            if (first) {
                memcpy(gb, &S, sizeof S);
            } else {
                v16f old;
                memcpy(&old, gb, sizeof old);
                old = old + S;
                memcpy(gb, &old, sizeof old);
            }
        }
#endif
        for (; j < j1; j++) {
            float s = SIMD_NAME(gbeta1_node)(w, j, NV);
            w->gbc[j] = first ? s : w->gbc[j] + s;
        }
    } else {
        /* gbeta[j,k] = sum_r act[r,j] g[r,k], sequential in r; 4 nodes at
         * a time for independent FMA chains */
        j = j0;
        for (; j + 4 <= j1; j += 4)
            SIMD_NAME(gbeta_tile)(w, j, Bv, first, 4, NV);
        for (; j < j1; j++)
            SIMD_NAME(gbeta_tile)(w, j, Bv, first, 1, NV);
    }
}

SIMD_TARGET static void
SIMD_NAME(bwd)(const fsnsa_net *net, fsnsa__work *w, size_t ch, size_t Bv,
               int first, const fsnsa__adam *adam, const fsnsa__moments *mo)
{
    switch (w->RB / 16) {
    case 1: SIMD_NAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 1); break;
    case 2: SIMD_NAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 2); break;
    case 3: SIMD_NAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 3); break;
    default: SIMD_NAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 4); break;
    }
}

#undef VPR
#undef BWD_NBMAX
