package dev.fovea.data;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a {@code .npy} file (NumPy format versions 1.0, 2.0 and 3.0): the magic string {@code \x93NUMPY},
 * a major and minor version byte, the header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then
 * a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and
 * ending in a newline so that the data starts at a multiple of 64 bytes. Version 3.0 differs from 2.0 only in
 * allowing UTF-8 in the header.
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** The longest header read: 64 KiB (NumPy's own reader refuses headers over 10,000 bytes unless told otherwise). */
    static final int MAX_HEADER_BYTES = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DTYPE = Pattern.compile("([<>|=])([fiub])(\\d{1,2})"); // wider sizes are no dtype read here

    /** Bytes per element. */
    int itemSize() {
        Matcher m = DTYPE.matcher(descr);
        return m.matches() ? Integer.parseInt(m.group(3)) : -1;
    }

    /** {@code 'f'}, {@code 'i'}, {@code 'u'} or {@code 'b'}. */
    char kind() {
        return descr.charAt(1);
    }

    ByteOrder order() {
        return switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN;
        };
    }

    /** Number of elements, or {@link Long#MAX_VALUE} when that is more than 2^31 (so it cannot overflow). */
    long size() {
        long s = 1;
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : shape) {
            s *= d; // both factors below 2^31: no overflow
            if (s > Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return s;
    }

    /** Reads and checks the header, leaving the stream at the first data byte. */
    static NpyHeader read(DataInputStream in, Path path) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        String text;
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(path + ": not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = in.readUnsignedByte();
            int minor = in.readUnsignedByte();
            long length;
            if (major == 1) {
                length = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new DataFormatException(path + ": expected .npy format version 1.0, 2.0 or 3.0, got " + major + "." + minor);
            }
            if (length > MAX_HEADER_BYTES) {
                throw new DataFormatException(path + ": .npy header length " + length + " is more than the " + MAX_HEADER_BYTES
                        + " bytes a header may have (NumPy itself reads at most 10000)");
            }
            byte[] h = new byte[(int) length];
            in.readFully(h);
            text = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        } catch (EOFException e) {
            throw new DataFormatException(path + ": truncated .npy file: it ends inside the header");
        }
        return parse(text.strip(), path);
    }

    private static NpyHeader parse(String text, Path path) throws DataFormatException {
        Matcher descr = DESCR.matcher(text);
        Matcher fortran = FORTRAN.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new DataFormatException(path + ": expected a .npy header with a simple 'descr', 'fortran_order' and 'shape',"
                    + " got " + text + (text.contains("descr': [") ? " (structured dtypes are not supported)" : ""));
        }
        String d = descr.group(1);
        Matcher dtype = DTYPE.matcher(d);
        if (!dtype.matches() || !supported(dtype.group(2).charAt(0), Integer.parseInt(dtype.group(3)))) {
            throw new DataFormatException(path + ": unsupported dtype '" + d
                    + "' (supported: float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, bool)");
        }
        String[] parts = shape.group(1).split(",");
        int[] dims = new int[parts.length];
        int rank = 0;
        for (String p : parts) {
            String s = p.strip();
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1); // Python 2 long literals
            }
            if (s.isEmpty()) {
                continue;
            }
            try {
                dims[rank++] = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new DataFormatException(path + ": expected a .npy shape of non-negative integers, got (" + shape.group(1) + ")");
            }
            if (dims[rank - 1] < 0) {
                throw new DataFormatException(path + ": expected a .npy shape of non-negative integers, got (" + shape.group(1) + ")");
            }
        }
        return new NpyHeader(d, fortran.group(1).equals("True"), Arrays.copyOf(dims, rank));
    }

    private static boolean supported(char kind, int bytes) {
        return switch (kind) {
            case 'f' -> bytes == 4 || bytes == 8;
            case 'i' -> bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
            case 'u' -> bytes == 1 || bytes == 2 || bytes == 4;
            case 'b' -> bytes == 1;
            default -> false;
        };
    }

    /** The header as written to a file: magic, version, length and the dict padded to a multiple of 64 bytes. */
    byte[] encode() {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            dims.append(i > 0 ? ", " : "").append(shape[i]);
        }
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + dims + ", }";
        int major = 1;
        int preamble = MAGIC.length + 2 + 2;
        int pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
        if (dict.length() + pad + 1 > 0xffff) {
            major = 2;
            preamble = MAGIC.length + 2 + 4;
            pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
        }
        int length = dict.length() + pad + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(preamble + length);
        out.writeBytes(MAGIC);
        out.write(major);
        out.write(0);
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) length);
        } else {
            len.putInt(length);
        }
        out.writeBytes(len.array());
        out.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1));
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return descr + " " + format(shape);
    }

    /** {@code [2,28,28]}, like {@link dev.fovea.tensor.Shape#toString()}, for any dimensions. */
    static String format(int[] dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? "," : "").append(dims[i]);
        }
        return b.append(']').toString();
    }
}
