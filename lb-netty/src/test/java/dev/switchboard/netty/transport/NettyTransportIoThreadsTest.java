package dev.switchboard.netty.transport;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NettyTransportIoThreadsTest {

    @Test
    void property_overridesTheCoreCount_onlyWhenItIsAPositiveNumber() {
        assertThat(NettyTransport.ioThreads(null, 2)).isEqualTo(2);
        assertThat(NettyTransport.ioThreads("1", 2)).isEqualTo(1);
        assertThat(NettyTransport.ioThreads(" 4 ", 2)).isEqualTo(4);
        assertThat(NettyTransport.ioThreads("0", 2)).isEqualTo(2);
        assertThat(NettyTransport.ioThreads("-3", 2)).isEqualTo(2);
        assertThat(NettyTransport.ioThreads("many", 2)).isEqualTo(2);
        assertThat(NettyTransport.ioThreads(null, 0)).isEqualTo(1);
    }
}
