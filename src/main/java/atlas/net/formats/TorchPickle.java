package atlas.net.formats;

import atlas.net.ModelException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small unpickler for the {@code data.pkl} of a {@code torch.save} zip archive: the opcodes that
 * protocols 2-5 use for a state_dict (dicts, lists, tuples, strings, numbers, globals, REDUCE, BUILD and
 * persistent ids). No code runs: a global is only a name, and REDUCE of a name this reader knows
 * ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter})
 * builds a plain value; any other callable becomes an opaque {@link Call} that later code rejects.
 */
final class TorchPickle {
    /** A global name ({@code module.name}). */
    record Global(String module, String name) {
        String qualified() { return module + "." + name; }
    }

    /** A call of a callable this reader does not evaluate. */
    record Call(Object callable, List<Object> args) {}

    /** A tensor view of a storage, as {@code _rebuild_tensor_v2} describes it. */
    record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    /** A persistent storage record: {@code ('storage', storage_type, key, location, numel)}. */
    record Storage(String type, String key, long numel) {}

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(byte[] data) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Unpickles {@code data}; every error is a one-line {@link ModelException}. */
    static Object load(byte[] data) {
        try {
            return new TorchPickle(data).run();
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelException("data.pkl ends in the middle of an opcode");
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new ModelException("data.pkl is not a pickle this reader understands (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Object run() {
        while (true) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get();                                   // PROTO
                case 0x95 -> in.getLong();                               // FRAME
                case '.' -> { return pop(); }                            // STOP
                case '(' -> stack.add(MARK);                             // MARK
                case ')' -> stack.add(List.of());                        // EMPTY_TUPLE
                case ']' -> stack.add(new ArrayList<>());                // EMPTY_LIST
                case '}' -> stack.add(new LinkedHashMap<>());            // EMPTY_DICT
                case 'N' -> stack.add(null);                             // NONE
                case 0x88 -> stack.add(Boolean.TRUE);                    // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE);                   // NEWFALSE
                case 'J' -> stack.add((long) in.getInt());               // BININT
                case 'K' -> stack.add((long) (in.get() & 0xff));         // BININT1
                case 'M' -> stack.add((long) (in.getShort() & 0xffff));  // BININT2
                case 0x8a -> stack.add(long1(in.get() & 0xff));          // LONG1
                case 'G' -> stack.add(bigEndianDouble());                 // BINFLOAT (big-endian)
                case 'X' -> stack.add(string(in.getInt()));              // BINUNICODE
                case 0x8c -> stack.add(string(in.get() & 0xff));         // SHORT_BINUNICODE
                case 0x8d -> stack.add(string(Math.toIntExact(in.getLong()))); // BINUNICODE8
                case 'T' -> stack.add(string(in.getInt()));              // BINSTRING
                case 'U' -> stack.add(string(in.get() & 0xff));          // SHORT_BINSTRING
                case 'B' -> stack.add(bytes(in.getInt()));               // BINBYTES
                case 'C' -> stack.add(bytes(in.get() & 0xff));           // SHORT_BINBYTES
                case 'q' -> memo.put((long) (in.get() & 0xff), peek());  // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek());       // MEMOIZE
                case 'h' -> stack.add(memoGet(in.get() & 0xff));         // BINGET
                case 'j' -> stack.add(memoGet(in.getInt() & 0xffffffffL)); // LONG_BINGET
                case 'c' -> stack.add(new Global(line(), line()));       // GLOBAL
                case 0x93 -> { String name = (String) pop(); stack.add(new Global((String) pop(), name)); } // STACK_GLOBAL
                case 't' -> stack.add(List.copyOf(popMark()));           // TUPLE
                case 0x85 -> stack.add(listOf(pop()));                   // TUPLE1
                case 0x86 -> { Object b = pop(); stack.add(listOf(pop(), b)); } // TUPLE2
                case 0x87 -> { Object c = pop(), b = pop(); stack.add(listOf(pop(), b, c)); } // TUPLE3
                case 'a' -> { Object v = pop(); list(peek()).add(v); }   // APPEND
                case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); } // APPENDS
                case 's' -> { Object v = pop(), k = pop(); dict(peek()).put(k, v); } // SETITEM
                case 'u' -> {                                            // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
                }
                case 'R' -> { List<Object> args = tuple(pop()); stack.add(reduce(pop(), args)); } // REDUCE
                case 0x81 -> { List<Object> args = tuple(pop()); stack.add(reduce(pop(), args)); } // NEWOBJ
                case 'b' -> pop();                                       // BUILD: the state (e.g. _metadata) is not needed
                case 'Q' -> stack.add(persistent(pop()));                // BINPERSID
                case '0' -> pop();                                       // POP
                case '2' -> stack.add(peek());                           // DUP
                default -> throw new ModelException(String.format("data.pkl uses pickle opcode 0x%02x, which a state_dict does not need", op));
            }
        }
    }

    private Object reduce(Object callable, List<Object> args) {
        if (callable instanceof Global g) {
            switch (g.qualified()) {
                case "collections.OrderedDict" -> { return new LinkedHashMap<>(); }
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                    if (args.size() < 4 || !(args.get(0) instanceof Storage s))
                        throw new ModelException("data.pkl: _rebuild_tensor_v2 without a storage");
                    return new TensorRef(s, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    return args.get(0);
                }
                default -> { }
            }
        }
        return new Call(callable, args);
    }

    private static Object persistent(Object pid) {
        List<Object> t = tuple(pid);
        if (t.size() >= 5 && "storage".equals(t.get(0)) && t.get(1) instanceof Global type)
            return new Storage(type.name(), String.valueOf(t.get(2)), ((Number) t.get(4)).longValue());
        throw new ModelException("data.pkl: unknown persistent id " + t);
    }

    private static long[] longs(Object o) {
        List<Object> l = tuple(o);
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).longValue();
        return r;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> tuple(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new ModelException("data.pkl: expected a tuple, found " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) { return (List<Object>) o; }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new ModelException("data.pkl: SETITEM on a " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    private static List<Object> listOf(Object... items) {
        List<Object> l = new ArrayList<>(items.length);
        for (Object o : items) l.add(o);
        return java.util.Collections.unmodifiableList(l);
    }

    private Object memoGet(long k) {
        if (!memo.containsKey(k)) throw new ModelException("data.pkl refers to memo entry " + k + ", which was never stored");
        return memo.get(k);
    }

    private Object pop() {
        if (stack.isEmpty()) throw new ModelException("data.pkl pops an empty stack");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) throw new ModelException("data.pkl reads an empty stack");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        int m = stack.size() - 1;
        while (m >= 0 && stack.get(m) != MARK) m--;
        if (m < 0) throw new ModelException("data.pkl: no MARK on the stack");
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private String string(int n) {
        if (n < 0 || n > in.remaining()) throw new ModelException("data.pkl: a string of " + n + " bytes runs past the end");
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        if (n < 0 || n > in.remaining()) throw new ModelException("data.pkl: " + n + " bytes run past the end");
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte c = in.get();
            if (c == '\n') return sb.toString();
            sb.append((char) c);
            if (sb.length() > 1000) throw new ModelException("data.pkl: a global name longer than 1000 characters");
        }
    }

    private long long1(int n) {
        if (n > 8) throw new ModelException("data.pkl: an integer of " + n + " bytes");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v -= 1L << (8 * n); // sign-extend
        return v;
    }

    /** Used by {@code 'G'}: reads a big-endian double, leaving the buffer little-endian. */
    private double bigEndianDouble() {
        in.order(ByteOrder.BIG_ENDIAN);
        double d = in.getDouble();
        in.order(ByteOrder.LITTLE_ENDIAN);
        return d;
    }
}
