package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DrainRequestTest {

    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();
    private final CompletableFuture<Boolean> result = new CompletableFuture<>();
    private final DrainRequest request = new DrainRequest(Set.of(b, c), result);

    @Test
    void everyMemberDrained_completesTrue_onlyAfterTheLast() {
        request.answered(b, true);
        request.answered(b, true);
        request.answered(UUID.randomUUID(), true);
        assertThat(result).as("C has not answered").isNotDone();
        request.answered(c, true);
        assertThat(result).isCompletedWithValue(true);
    }

    @Test
    void oneMemberNotDrained_completesFalseAtOnce() {
        request.answered(c, false);
        assertThat(result).isCompletedWithValue(false);
    }

    @Test
    void memberThatLeaves_isNotWaitedFor() {
        request.answered(b, true);
        request.left(c);
        assertThat(result).isCompletedWithValue(true);
    }

    @Test
    void retain_dropsMembersGoneBeforeRegistration() {
        request.retain(Set.of(b));
        assertThat(result).isNotDone();
        request.answered(b, true);
        assertThat(result).isCompletedWithValue(true);
    }
}
