package io.harstream.core.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over the samples themselves (user, activity, timestamp, x, y, z, in order), so the same
 * data gives the same fingerprint whether it came from a .gz, a plain file or the generator.
 */
public final class DatasetFingerprint {

    private DatasetFingerprint() {
    }

    public static String of(List<Recording> recordings) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(8 + 3 * 4);
        for (Recording r : recordings) {
            sha.update(r.user().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            for (Sample s : r.samples()) {
                if (s.activity() != null) {
                    sha.update(s.activity().getBytes(StandardCharsets.UTF_8));
                }
                buf.clear();
                buf.putLong(s.timestampMs()).putFloat(s.x()).putFloat(s.y()).putFloat(s.z());
                sha.update(buf.array());
            }
            sha.update((byte) 1);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
