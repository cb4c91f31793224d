package io.eenet.stream.format;

/**
 * Resizes an HWC image by area averaging: each output pixel is the mean of the source area it covers,
 * partly covered source pixels weighted by their coverage. Works for shrinking and enlarging; a side whose
 * size does not change is copied exactly.
 */
final class AreaResize {

    private AreaResize() {}

    /** {@code src} is {@code srcH x srcW x c}, row-major; returns {@code dstH x dstW x c}. */
    static double[] resize(double[] src, int srcH, int srcW, int c, int dstH, int dstW) {
        double[] rows = srcW == dstW ? src : resizeWidth(src, srcH, srcW, c, dstW);
        return srcH == dstH ? rows : resizeHeight(rows, srcH, dstW, c, dstH);
    }

    private static double[] resizeWidth(double[] src, int h, int srcW, int c, int dstW) {
        Axis axis = new Axis(srcW, dstW);
        double[] dst = new double[h * dstW * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < dstW; x++) {
                for (int k = 0; k < axis.weights[x].length; k++) {
                    int from = (y * srcW + axis.first[x] + k) * c;
                    int to = (y * dstW + x) * c;
                    for (int ch = 0; ch < c; ch++) {
                        dst[to + ch] += axis.weights[x][k] * src[from + ch];
                    }
                }
            }
        }
        return dst;
    }

    private static double[] resizeHeight(double[] src, int srcH, int w, int c, int dstH) {
        Axis axis = new Axis(srcH, dstH);
        int row = w * c;
        double[] dst = new double[dstH * row];
        for (int y = 0; y < dstH; y++) {
            for (int k = 0; k < axis.weights[y].length; k++) {
                int from = (axis.first[y] + k) * row;
                double weight = axis.weights[y][k];
                for (int i = 0; i < row; i++) {
                    dst[y * row + i] += weight * src[from + i];
                }
            }
        }
        return dst;
    }

    /** For each output index: the first source index it covers and the normalised weights from there on. */
    private static final class Axis {
        final int[] first;
        final double[][] weights;

        Axis(int src, int dst) {
            first = new int[dst];
            weights = new double[dst][];
            double step = (double) src / dst;
            for (int i = 0; i < dst; i++) {
                double start = i * step;
                double end = Math.min(src, (i + 1) * step);
                int lo = (int) Math.floor(start);
                int hi = Math.min(src, (int) Math.ceil(end));
                first[i] = lo;
                weights[i] = new double[hi - lo];
                for (int s = lo; s < hi; s++) {
                    weights[i][s - lo] = (Math.min(end, s + 1) - Math.max(start, s)) / (end - start);
                }
            }
        }
    }
}
