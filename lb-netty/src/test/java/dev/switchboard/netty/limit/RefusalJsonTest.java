package dev.switchboard.netty.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A refusal's line in the JSON access log: the request's fields, nulls where nothing applies, the limit. */
class RefusalJsonTest {

    @Test
    void refusalJson_saysVirtualServiceClientRequestStatusAndLimit() throws Exception {
        InetAddress client = InetAddress.getByName("10.0.0.7");
        assertThat(ConnectionLimiter.refusalJson("mail", Admission.REFUSED_CLIENT, client, "GET /owa/"))
                .matches("\\{\"time\":\"[^\"]+Z\",\"virtualService\":\"mail\",\"subService\":null,"
                        + "\"realServer\":null,\"address\":null,\"client\":\"10\\.0\\.0\\.7\",\"method\":\"GET\","
                        + "\"uri\":\"/owa/\",\"status\":429,\"totalMs\":0\\.000,\"ttfbMs\":null,\"bytesIn\":0,"
                        + "\"bytesOut\":0,\"failure\":null,\"refused\":\"maxConnectionsPerClient\"}");
        assertThat(ConnectionLimiter.refusalJson("imap", Admission.REFUSED_GATEWAY, null, "-"))
                .contains("\"client\":null,\"method\":null,\"uri\":null,\"status\":null,")
                .endsWith("\"refused\":\"gatewayMaxConnections\"}");
    }
}
