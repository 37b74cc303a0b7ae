package dev.switchboard.netty.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.Protocol;
import dev.switchboard.netty.settings.ListenerSettings;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void descriptorLimits_capFor_twoPerConnectionAfterTheReserve() {
        assertThat(ConnectionBudget.capFor(1024)).isEqualTo((1024 - 64 - 64) / 2);
        assertThat(ConnectionBudget.capFor(65_536)).isEqualTo((65_536 - 64 - 4096) / 2);
        assertThat(ConnectionBudget.capFor(1_048_576)).isEqualTo((1_048_576 - 64 - 65_536) / 2);
        assertThat(ConnectionBudget.capFor(60)).isZero();
        assertThat(ConnectionBudget.capFor(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void thisProcess_ofDescriptorLimit_derivedFromTheMxBean() {
        long limit = ConnectionBudget.descriptorLimit();
        ConnectionBudget budget = ConnectionBudget.ofDescriptorLimit();
        assertThat(budget.cap()).isEqualTo(limit > 0 ? ConnectionBudget.capFor(limit) : Integer.MAX_VALUE);
    }

    @Test
    void negativeCap_of_throws() {
        assertThatThrownBy(() -> ConnectionBudget.of(-1)).hasMessage("cap: -1 (expected: >= 0)");
    }

    @Test
    void atTheCap_tryAcquire_refusedUntilReleased() {
        ConnectionBudget budget = ConnectionBudget.of(2);
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();
        budget.release();
        assertThat(budget.open()).isEqualTo(1);
        assertThat(budget.tryAcquire()).isTrue();
    }

    @Test
    void limiterOfAVirtualService_findLimiter_untilClosed() {
        ConnectionBudget budget = ConnectionBudget.of(10);
        ListenerSettings settings = ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                .build();
        ConnectionLimiter first = budget.limiter(settings);
        assertThat(budget.findLimiter("web")).containsSame(first);
        ConnectionLimiter second = budget.limiter(settings); // bound again after a reload
        first.close();
        assertThat(budget.findLimiter("web")).containsSame(second);
        second.close();
        assertThat(budget.findLimiter("web")).isEmpty();
    }

    @Test
    void refusals_refusalLine_saysVirtualServiceClientRequestStatusAndLimit() throws Exception {
        InetAddress client = InetAddress.getByName("10.0.0.7");
        assertThat(ConnectionLimiter.refusalLine("mail", Admission.REFUSED_CLIENT, client, "GET /owa/"))
                .isEqualTo("mail - - - client=10.0.0.7 \"GET /owa/\" 429 0.0ms in=0 out=0"
                        + " refused=maxConnectionsPerClient");
        assertThat(ConnectionLimiter.refusalLine("mail", Admission.REFUSED_SERVICE, client, "-"))
                .isEqualTo("mail - - - client=10.0.0.7 - 503 0.0ms in=0 out=0 refused=maxConnections");
        assertThat(ConnectionLimiter.refusalLine("imap", Admission.REFUSED_GATEWAY, client, "-"))
                .isEqualTo("imap - - - client=10.0.0.7 - - 0.0ms in=0 out=0 refused=gatewayMaxConnections");
    }
}
