package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Health;
import org.junit.jupiter.api.Test;

class RiseFallStateTest {

    @Test
    void initiallyDown_firstSuccess_comesUp() {
        RiseFallState s = new RiseFallState(Health.DOWN, 3, 2);
        assertThat(s.record(true)).isTrue();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void initiallyDown_failures_stayDownWithoutTransition() {
        RiseFallState s = new RiseFallState(Health.DOWN, 3, 2);
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(false)).isFalse();
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(s.checked()).isTrue();
    }

    @Test
    void afterFirstResult_fallAndRiseCountConsecutiveResults() {
        RiseFallState s = new RiseFallState(Health.DOWN, 3, 2);
        s.record(true);
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(true)).isFalse(); // resets the failure count
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(false)).isTrue();
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(false)).isFalse(); // resets the success count
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(true)).isTrue();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void initiallyUp_firstFailure_goesDown() {
        RiseFallState s = new RiseFallState(Health.UP, 2, 3);
        assertThat(s.record(false)).isTrue();
        assertThat(s.health()).isEqualTo(Health.DOWN);
    }
}
