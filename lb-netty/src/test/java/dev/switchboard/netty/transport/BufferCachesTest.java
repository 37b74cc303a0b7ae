package dev.switchboard.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link BufferCaches}: Netty's low-memory rule as this JVM will apply it, and the gateway's default. */
class BufferCachesTest {

    private static final long MB = 1024L * 1024;

    @Test
    void unset_followsTheHeap_at512MbAndBelowNoCaches() {
        assertThat(BufferCaches.withoutThreadCaches(null, 256 * MB)).isTrue();
        assertThat(BufferCaches.withoutThreadCaches(null, 512 * MB)).isTrue();
        assertThat(BufferCaches.withoutThreadCaches(null, 512 * MB + 1)).isFalse();
        assertThat(BufferCaches.withoutThreadCaches(null, 6_000 * MB)).isFalse();
    }

    @Test
    void theProperty_winsOverTheHeap_inNettysSpellings() {
        for (String no : new String[] {"false", "FALSE", " no ", "0"}) {
            assertThat(BufferCaches.withoutThreadCaches(no, 256 * MB)).as(no).isFalse();
        }
        for (String yes : new String[] {"true", "Yes", "1", ""}) {
            assertThat(BufferCaches.withoutThreadCaches(yes, 6_000 * MB)).as(yes).isTrue();
        }
        assertThat(BufferCaches.withoutThreadCaches("maybe", 256 * MB)).as("unreadable: the heap rule").isTrue();
        assertThat(BufferCaches.withoutThreadCaches("maybe", 6_000 * MB)).isFalse();
    }

    @Test
    void keepUnlessSet_setsFalseOnlyWhenUnset() {
        String before = System.getProperty(BufferCaches.LOW_MEMORY_PROPERTY);
        try {
            System.clearProperty(BufferCaches.LOW_MEMORY_PROPERTY);
            BufferCaches.keepUnlessSet();
            assertThat(System.getProperty(BufferCaches.LOW_MEMORY_PROPERTY)).isEqualTo("false");

            System.setProperty(BufferCaches.LOW_MEMORY_PROPERTY, "true");
            BufferCaches.keepUnlessSet();
            assertThat(System.getProperty(BufferCaches.LOW_MEMORY_PROPERTY)).as("the operator's choice")
                    .isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(BufferCaches.LOW_MEMORY_PROPERTY);
            } else {
                System.setProperty(BufferCaches.LOW_MEMORY_PROPERTY, before);
            }
        }
    }
}
