package atlas.net.formats;

import java.nio.ByteBuffer;

/**
 * The floating-point element types the model readers accept, with exact little-endian decoding to double.
 * F16 and BF16 are widened exactly (every half and bfloat16 value is a float); writing narrows with
 * round-to-nearest-even, so only F64 round-trips every double bit for bit.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Bytes per element. */
    public int bytes() { return bytes; }

    /** Reads element {@code index} of a little-endian buffer (absolute, the buffer's position is unchanged). */
    public double read(ByteBuffer le, int byteOffset) {
        return switch (this) {
            case F64 -> le.getDouble(byteOffset);
            case F32 -> le.getFloat(byteOffset);
            case F16 -> halfToFloat(le.getShort(byteOffset));
            case BF16 -> Float.intBitsToFloat((le.getShort(byteOffset) & 0xffff) << 16);
        };
    }

    /** Writes one value (narrowed to this type) at the buffer's position. */
    public void write(ByteBuffer le, double v) {
        switch (this) {
            case F64 -> le.putDouble(v);
            case F32 -> le.putFloat((float) v);
            case F16 -> le.putShort(floatToHalf((float) v));
            case BF16 -> le.putShort(floatToBfloat16((float) v));
        }
    }

    /** IEEE binary16 to float, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24, exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Float to IEEE binary16 with round-to-nearest-even (overflow to infinity). */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) return (short) (sign | 0x7e00);
        float a = Math.abs(f);
        if (a >= 65520f) return (short) (sign | 0x7c00); // rounds to infinity
        if (a < 0x1p-14f) {
            // subnormal range: value / 2^-24 rounded to nearest even integer
            int m = (int) Math.rint(a * 0x1p24f);
            return (short) (sign | m);
        }
        int e = Math.getExponent(a);
        int mantFull = (Float.floatToRawIntBits(a) & 0x7fffff) | 0x800000;
        int shift = 13;
        int m = mantFull >>> shift;
        int rem = mantFull & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rem > half || (rem == half && (m & 1) == 1)) m++;
        int exp = e + 15;
        if (m == 0x800) { m = 0x400; exp++; }
        if (exp >= 0x1f) return (short) (sign | 0x7c00);
        return (short) (sign | (exp << 10) | (m & 0x3ff));
    }

    /** Float to bfloat16 with round-to-nearest-even. */
    static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int lsb = (bits >>> 16) & 1;
        bits += 0x7fff + lsb;
        return (short) (bits >>> 16);
    }

    /** The safetensors name of this type. */
    public String safetensorsName() { return name(); }

    /** Parses a safetensors dtype; null when not a floating type this reader takes. */
    public static DType fromSafetensors(String s) {
        for (DType d : values()) if (d.name().equals(s)) return d;
        return null;
    }
}
