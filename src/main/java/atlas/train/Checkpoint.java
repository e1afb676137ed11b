package atlas.train;

import atlas.error.BadInputException;

import atlas.io.AtomicFiles;
import atlas.net.ModelFormat;
import atlas.net.Network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything needed to continue training exactly: the network (structure and parameters), the epochs done,
 * the optimiser and its state, the training seconds so far. Written atomically (a crash or Ctrl-C leaves
 * the previous checkpoint intact). Binary format {@code relu-atlas-checkpoint/1}: magic string, then
 * big-endian fields: epoch (int), seconds (double), model JSON (length-prefixed UTF-8), optimizer label
 * (UTF), lr (double), step (long), state array count (int), each array (int length + doubles).
 *
 * @param epoch     epochs completed
 * @param network   the network after {@code epoch} epochs
 * @param optimizer the optimiser kind
 * @param lr        its learning rate
 * @param step      updates made so far
 * @param state     the optimiser's state arrays; copied
 * @param seconds   training seconds so far (wall clock, summed over sessions)
 */
public record Checkpoint(int epoch, Network network, OptimizerKind optimizer, double lr, long step, double[][] state, double seconds) {
    public static final String MAGIC = "relu-atlas-checkpoint/1";

    public Checkpoint {
        if (epoch < 0) throw new BadInputException("epoch must not be negative");
        double[][] s = new double[state.length][];
        for (int k = 0; k < s.length; k++) s[k] = state[k].clone();
        state = s;
    }

    @Override
    public double[][] state() {
        double[][] s = new double[state.length][];
        for (int k = 0; k < s.length; k++) s[k] = state[k].clone();
        return s;
    }

    /** Writes the checkpoint atomically. */
    public void write(Path file) {
        byte[] json = ModelFormat.toJson(network).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.writeUTF(MAGIC);
            out.writeInt(epoch);
            out.writeDouble(seconds);
            out.writeInt(json.length);
            out.write(json);
            out.writeUTF(optimizer.label());
            out.writeDouble(lr);
            out.writeLong(step);
            out.writeInt(state.length);
            for (double[] a : state) {
                out.writeInt(a.length);
                for (double v : a) out.writeDouble(v);
            }
            out.flush();
        });
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IllegalArgumentException when the file is missing, truncated or not a checkpoint
     */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) throw new BadInputException("no checkpoint at " + file);
        try (InputStream is = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(is);
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) throw new BadInputException(file + " is not a " + MAGIC + " file");
            int epoch = in.readInt();
            double seconds = in.readDouble();
            int len = in.readInt();
            if (len <= 0 || len > 1 << 30) throw new BadInputException(file + " is corrupt (model length " + len + ")");
            byte[] json = in.readNBytes(len);
            if (json.length != len) throw new EOFException();
            Network net = ModelFormat.parse(new String(json, StandardCharsets.UTF_8));
            OptimizerKind kind = OptimizerKind.fromLabel(in.readUTF());
            double lr = in.readDouble();
            long step = in.readLong();
            int ns = in.readInt();
            if (ns < 0 || ns > 8) throw new BadInputException(file + " is corrupt (" + ns + " state arrays)");
            double[][] state = new double[ns][];
            for (int k = 0; k < ns; k++) {
                int n = in.readInt();
                if (n < 0 || n > 1 << 28) throw new BadInputException(file + " is corrupt (state length " + n + ")");
                state[k] = new double[n];
                for (int j = 0; j < n; j++) state[k][j] = in.readDouble();
            }
            return new Checkpoint(epoch, net, kind, lr, step, state, seconds);
        } catch (EOFException e) {
            throw new BadInputException(file + " is truncated (not a complete checkpoint)");
        } catch (IOException e) {
            throw new BadInputException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
    }
}
