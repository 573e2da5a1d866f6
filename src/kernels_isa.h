/* The inner loops of the training step, included three times by kernels.c:
 * for AVX-512 (+FMA), for AVX2 + FMA and for plain x86-64 (or any other
 * machine). Before each inclusion kernels.c defines
 *   KNAME(x)  the name of x in this copy (x##_avx512, ...),
 *   KATTR     the target attribute of every function here (or nothing),
 *   FMA16(a, b, c)  a*b + c on 16 lanes, each lane rounded once:
 *             vfmadd on the vector paths, C's fmaf (correctly rounded by
 *             definition) lane by lane on the baseline path,
 * so that every copy does the same IEEE operations in the same order and
 * all three give the same bits. Vector values never cross a function
 * boundary (macros and always_inline only): their ABI differs between the
 * instruction sets. Internal to kernels.c. */

/* JT nodes x NV row vectors of the forward; C1: binary output kept in
 * registers (lacc) */
KATTR INLINE void KNAME(fwd_tile)(const float *restrict W,
                                  const float *restrict b,
                                  const float *restrict beta,
                                  const float *restrict xT,
                                  float *restrict actT, float *restrict lp,
                                  v16f *lacc, size_t j, size_t p, size_t C,
                                  const int JT, const int NV, const int C1)
{
    const size_t RB = 16 * (size_t)NV;
    v16f acc[8][4];
    for (int t = 0; t < JT; t++)
        for (int v = 0; v < NV; v++)
            acc[t][v] = (v16f){0};
    const float *wr[8];
    for (int t = 0; t < JT; t++)
        wr[t] = W + (j + t) * p;
    for (size_t i = 0; i < p; i++) {
        v16f xv[4];
        for (int v = 0; v < NV; v++)
            xv[v] = *(const v16f *)(xT + i * RB + 16 * v);
        for (int t = 0; t < JT; t++) {
            const v16f wv = SPLAT16(wr[t][i]);
            for (int v = 0; v < NV; v++)
                acc[t][v] = FMA16(xv[v], wv, acc[t][v]);
        }
    }
    for (int t = 0; t < JT; t++) {
        const v16f bj = SPLAT16(b[j + t]);
        for (int v = 0; v < NV; v++) {
            v16f z = acc[t][v] + bj;
            v16f a = RELU16(z);
            *(v16f *)(actT + (j + t) * RB + 16 * v) = a;
            if (C1) {
                const v16f be = SPLAT16(beta[j + t]);
                lacc[v] = FMA16(a, be, lacc[v]);
            } else {
                const float *bt = beta + (j + t) * C;
                for (size_t k = 0; k < C; k++) {
                    v16f *l = (v16f *)(lp + k * RB + 16 * v);
                    const v16f bk = SPLAT16(bt[k]);
                    *l = FMA16(a, bk, *l);
                }
            }
        }
    }
}

/* Forward of chunk ch for one row block of 16*NV rows */
KATTR INLINE void KNAME(fwd_chunk_nv)(const fsnsa_net *net,
                                      const fsnsa__work *w, size_t ch,
                                      const int NV, const int C1)
{
    const size_t p = net->p, C = net->n_out, RB = 16 * (size_t)NV;
    size_t j0 = ch * JC, j1 = j0 + JC < net->h ? j0 + JC : net->h;
    float *lp = w->lp + ch * C * RB;
    v16f lacc[4];
    for (int v = 0; v < NV; v++)
        lacc[v] = (v16f){0};
    if (!C1)
        memset(lp, 0, C * RB * sizeof(float));
    /* at least 8 independent accumulators: the FMA latency is 4 cycles
     * and two can start per cycle */
    const int JT = NV == 1 ? 8 : 4;
    size_t j = j0;
    if (JT == 8)
        for (; j + 8 <= j1; j += 8)
            KNAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp,
                            lacc, j, p, C, 8, NV, C1);
    for (; j + 4 <= j1; j += 4)
        KNAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp, lacc,
                        j, p, C, 4, NV, C1);
    for (; j < j1; j++)
        KNAME(fwd_tile)(net->W, net->b, net->beta, w->xT, w->actT, lp, lacc,
                        j, p, C, 1, NV, C1);
    if (C1)
        for (int v = 0; v < NV; v++)
            *(v16f *)(lp + 16 * v) = lacc[v];
}

KATTR static void KNAME(fwd)(const fsnsa_net *net, const fsnsa__work *w,
                             size_t ch)
{
    int c1 = net->n_out == 1;
    switch (w->RB / 16) {
    case 1: c1 ? KNAME(fwd_chunk_nv)(net, w, ch, 1, 1) : KNAME(fwd_chunk_nv)(net, w, ch, 1, 0); break;
    case 2: c1 ? KNAME(fwd_chunk_nv)(net, w, ch, 2, 1) : KNAME(fwd_chunk_nv)(net, w, ch, 2, 0); break;
    case 3: c1 ? KNAME(fwd_chunk_nv)(net, w, ch, 3, 1) : KNAME(fwd_chunk_nv)(net, w, ch, 3, 0); break;
    default: c1 ? KNAME(fwd_chunk_nv)(net, w, ch, 4, 1) : KNAME(fwd_chunk_nv)(net, w, ch, 4, 0); break;
    }
}

/* dz of node j for the block's rows, into dz[0..16*NV):
 * dz = (sum_k g[k] beta[j,k], sequential in k) masked by act > 0 */
KATTR INLINE void KNAME(dz_node)(const fsnsa_net *net, const fsnsa__work *w,
                                 size_t j, float *restrict dz, const int NV)
{
    const size_t C = net->n_out, RB = 16 * (size_t)NV;
    const float *restrict a = w->actT + j * RB;
    const v16f zero = {0};
    for (int v = 0; v < NV; v++) {
        v16f s;
        if (C == 1) {
            s = *(const v16f *)(w->gT + 16 * v) * net->beta[j];
        } else {
            const float *bt = net->beta + j * C;
            s = *(const v16f *)(w->gT + 16 * v) * bt[0];
            for (size_t k = 1; k < C; k++) {
                const v16f bk = SPLAT16(bt[k]);
                s = FMA16(*(const v16f *)(w->gT + k * RB + 16 * v), bk, s);
            }
        }
        v16i m = *(const v16f *)(a + 16 * v) > zero;
        *(v16f *)(dz + 16 * v) = (v16f)((v16i)s & m);
    }
}

/* gW rows j..j+JT-1, column vectors [u0, u0+NB), over rows r < Bv:
 * acc = fma(x[r], dz[r], acc) in row order, continued from gWx unless
 * first. Then either stored to gWx or, on the last row block of a training
 * step (c->adam set), handed to fuse_tile: Adam updates those weights at
 * once, while the next tile's FMAs keep the other units busy. */
KATTR INLINE void KNAME(bwd_w_tile)(const bwd_ctx *c, const float *restrict dz,
                                    size_t j, size_t u0, const int JT,
                                    const int NB, const int NV)
{
    const size_t RB = 16 * (size_t)NV, P16 = c->P16, Bv = c->Bv;
    float *restrict gWx = c->gWx;
    const float *restrict xr = c->xr;
    v16f acc[JT][NB];
    for (int t = 0; t < JT; t++)
        for (int u = 0; u < NB; u++)
            acc[t][u] = c->first ? (v16f){0}
                                 : *(const v16f *)(gWx + (j + t) * P16 + 16 * (u0 + u));
    for (size_t r = 0; r < Bv; r++) {
        v16f xv[8];
        for (int u = 0; u < NB; u++)
            xv[u] = *(const v16f *)(xr + r * P16 + 16 * (u0 + u));
        for (int t = 0; t < JT; t++) {
            const v16f d = SPLAT16(dz[(size_t)t * RB + r]);
            for (int u = 0; u < NB; u++)
                acc[t][u] = FMA16(xv[u], d, acc[t][u]);
        }
    }
    if (c->adam == NULL) {
        for (int t = 0; t < JT; t++)
            for (int u = 0; u < NB; u++)
                *(v16f *)(gWx + (j + t) * P16 + 16 * (u0 + u)) = acc[t][u];
        return;
    }
    float tb[JT * NB * 16] __attribute__((aligned(64)));
    for (int t = 0; t < JT; t++)
        for (int u = 0; u < NB; u++)
            *(v16f *)(tb + (t * NB + u) * 16) = acc[t][u];
    fuse_tile(c, j, (size_t)JT, 16 * u0, (size_t)NB * 16, tb);
}

KATTR INLINE void KNAME(bwd_w_nodes)(const bwd_ctx *c,
                                     const float *restrict dz, size_t j,
                                     size_t nvec, const int JT, const int NV)
{
    size_t u0 = 0;
    for (; u0 + 8 <= nvec; u0 += 8)
        KNAME(bwd_w_tile)(c, dz, j, u0, JT, 8, NV);
    switch (nvec - u0) {
    case 1: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 1, NV); break;
    case 2: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 2, NV); break;
    case 3: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 3, NV); break;
    case 4: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 4, NV); break;
    case 5: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 5, NV); break;
    case 6: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 6, NV); break;
    case 7: KNAME(bwd_w_tile)(c, dz, j, u0, JT, 7, NV); break;
    default: break;
    }
}

/* gbeta rows j..j+NT-1 (C > 1) over the block's rows r < Bv */
KATTR INLINE void KNAME(gbeta_tile)(fsnsa__work *w, size_t j, size_t Bv,
                                    int first, const int NT, const int NV)
{
    const size_t K16 = w->K16, nk = K16 / 16, RB = 16 * (size_t)NV;
    for (size_t u = 0; u < nk; u++) {
        v16f acc[4];
        for (int t = 0; t < NT; t++)
            acc[t] = first ? (v16f){0}
                           : *(const v16f *)(w->gBx + (j + (size_t)t) * K16 + 16 * u);
        for (size_t r = 0; r < Bv; r++) {
            const v16f gv = *(const v16f *)(w->gr + r * K16 + 16 * u);
            for (int t = 0; t < NT; t++) {
                const v16f av = SPLAT16(w->actT[(j + (size_t)t) * RB + r]);
                acc[t] = FMA16(gv, av, acc[t]);
            }
        }
        for (int t = 0; t < NT; t++)
            *(v16f *)(w->gBx + (j + (size_t)t) * K16 + 16 * u) = acc[t];
    }
}

/* Backward of chunk ch for one row block (Bv valid rows of 16*NV) */
KATTR INLINE void KNAME(bwd_chunk_nv)(const fsnsa_net *net, fsnsa__work *w,
                                      size_t ch, size_t Bv, int first,
                                      const fsnsa__adam *adam,
                                      const fsnsa__moments *mo, const int NV)
{
    const size_t p = net->p, C = net->n_out, RB = 16 * (size_t)NV,
                 P16 = w->P16;
    const size_t nvec = (p + 1 + 15) / 16;
    size_t j0 = ch * JC, j1 = j0 + JC < net->h ? j0 + JC : net->h;
    float dz[8 * FSNSA__RBMAX] __attribute__((aligned(64)));
    /* enough independent accumulators to hide the FMA latency: 8 nodes
     * when a row of gW is one vector (p < 16), 4 for two, else 2 nodes x
     * up to 8 vectors */
    const size_t JT = nvec == 1 ? 8 : nvec == 2 ? 4 : 2;
    const bwd_ctx c = {w->gWx, w->xr, net->W, w->gWc, w->gbv, P16, Bv, p,
                       first, adam, mo};
    size_t j = j0;
    for (; j + JT <= j1; j += JT) {
        for (size_t t = 0; t < JT; t++)
            KNAME(dz_node)(net, w, j + t, dz + t * RB, NV);
        if (JT == 8)
            KNAME(bwd_w_tile)(&c, dz, j, 0, 8, 1, NV);
        else if (JT == 4)
            KNAME(bwd_w_tile)(&c, dz, j, 0, 4, 2, NV);
        else
            KNAME(bwd_w_nodes)(&c, dz, j, nvec, 2, NV);
    }
    for (; j < j1; j++) {
        KNAME(dz_node)(net, w, j, dz, NV);
        KNAME(bwd_w_nodes)(&c, dz, j, nvec, 1, NV);
    }
    /* gbeta */
    if (C == 1) {
        /* per node: t = sum over the block's row vectors of act * g
         * (lane-wise, in vector order), then the fixed 16-lane tree
         * ((l, l+8), then (l, l+4), (l, l+2), (0, 1)); 16 nodes at once
         * with shuffles, the same additions as hsum16 */
        const v16f *g = (const v16f *)w->gT;
        j = j0;
        for (; j + 16 <= j1; j += 16) {
            v16f T[16], P[8], Q[4], R[2], S;
            for (int m = 0; m < 16; m++) {
                const v16f *a = (const v16f *)(w->actT + (j + (size_t)m) * RB);
                T[m] = a[0] * g[0];
                for (int v = 1; v < NV; v++)
                    T[m] = FMA16(a[v], g[v], T[m]);
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
        for (; j < j1; j++) {
            const v16f *a = (const v16f *)(w->actT + j * RB);
            v16f t = a[0] * g[0];
            for (int v = 1; v < NV; v++)
                t = FMA16(a[v], g[v], t);
            float s = hsum16(&t);
            w->gbc[j] = first ? s : w->gbc[j] + s;
        }
    } else {
        /* gbeta[j,k] = sum_r act[r,j] g[r,k], sequential in r; 4 nodes at
         * a time for independent FMA chains */
        j = j0;
        for (; j + 4 <= j1; j += 4)
            KNAME(gbeta_tile)(w, j, Bv, first, 4, NV);
        for (; j < j1; j++)
            KNAME(gbeta_tile)(w, j, Bv, first, 1, NV);
    }
}

KATTR static void KNAME(bwd)(const fsnsa_net *net, fsnsa__work *w, size_t ch,
                             size_t Bv, int first, const fsnsa__adam *adam,
                             const fsnsa__moments *mo)
{
    switch (w->RB / 16) {
    case 1: KNAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 1); break;
    case 2: KNAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 2); break;
    case 3: KNAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 3); break;
    default: KNAME(bwd_chunk_nv)(net, w, ch, Bv, first, adam, mo, 4); break;
    }
}
