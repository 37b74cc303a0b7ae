package dev.switchboard.tls.internal.hello;

import static dev.switchboard.tls.internal.hello.Hellos.alpn;
import static dev.switchboard.tls.internal.hello.Hellos.clientHelloBody;
import static dev.switchboard.tls.internal.hello.Hellos.concat;
import static dev.switchboard.tls.internal.hello.Hellos.ext;
import static dev.switchboard.tls.internal.hello.Hellos.handshake;
import static dev.switchboard.tls.internal.hello.Hellos.record;
import static dev.switchboard.tls.internal.hello.Hellos.records;
import static dev.switchboard.tls.internal.hello.Hellos.sni;
import static dev.switchboard.tls.internal.hello.Hellos.supportedVersions;
import static dev.switchboard.tls.internal.hello.Hellos.u16;
import static dev.switchboard.tls.internal.hello.Hellos.u16s;
import static dev.switchboard.tls.internal.hello.Hellos.u8;
import static dev.switchboard.tls.internal.hello.Hellos.vector16;
import static dev.switchboard.tls.internal.hello.Hellos.vector8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ClientHello and ServerHello parsing on vectors built byte by byte. */
class HelloParserTest {

    private static final String SESSION_HEX = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

    static HelloResult client(byte[] bytes) {
        return TlsHellos.parseClientHello(bytes, 0, bytes.length);
    }

    static HelloResult server(byte[] bytes) {
        return TlsHellos.parseServerHello(bytes, 0, bytes.length);
    }

    @Test
    void clientHello_tls12WithSni_parsesEveryField() {
        byte[] wire = record(Hellos.tls12ClientHello("Mail.Example.com"));

        assertThat(client(wire)).isEqualTo(new HelloResult.ClientHello(0x0303, SESSION_HEX, "mail.example.com",
                java.util.List.of("h2", "http/1.1"), java.util.List.of(), wire.length));
        assertThat(((HelloResult.ClientHello) client(wire)).highestVersion()).isEqualTo(0x0303);
    }

    @Test
    void clientHello_tls12WithoutExtensions_noSniNoAlpn() {
        byte[] wire = record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x002f})));

        HelloResult.ClientHello hello = (HelloResult.ClientHello) client(wire);

        assertThat(hello.serverName()).isEmpty();
        assertThat(hello.sessionId()).isEmpty();
        assertThat(hello.applicationProtocols()).isEmpty();
    }

    @Test
    void clientHello_tls13WithGrease_greaseLeftOutOfEveryList() {
        byte[] wire = record(Hellos.tls13GreaseClientHello("owa.example.com"));

        HelloResult.ClientHello hello = (HelloResult.ClientHello) client(wire);

        assertThat(hello.serverName()).isEqualTo("owa.example.com");
        assertThat(hello.supportedVersions()).containsExactly(0x0304, 0x0303);
        assertThat(hello.highestVersion()).isEqualTo(0x0304);
        assertThat(hello.applicationProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.sessionId()).isEqualTo(SESSION_HEX);
    }

    @Test
    void clientHello_tls13WithoutSni_emptyServerName() {
        byte[] wire = record(handshake(1, clientHelloBody(0x0303, Hellos.SESSION_ID, new int[] {0x1301},
                supportedVersions(0x0304))));

        assertThat(((HelloResult.ClientHello) client(wire)).serverName()).isEmpty();
    }

    @Test
    void clientHello_greaseAlpnValue_leftOut() {
        byte[] wire = record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                alpn("\u001a\u001a", "h2"))));

        assertThat(((HelloResult.ClientHello) client(wire)).applicationProtocols()).containsExactly("h2");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 64, 100})
    void clientHello_fragmentedIntoRecords_sameValues(int fragment) {
        byte[] message = Hellos.tls13GreaseClientHello("owa.example.com");
        HelloResult.ClientHello whole = (HelloResult.ClientHello) client(record(message));
        byte[] wire = records(message, fragment);

        HelloResult.ClientHello split = (HelloResult.ClientHello) client(wire);

        assertThat(split.serverName()).isEqualTo(whole.serverName());
        assertThat(split.applicationProtocols()).isEqualTo(whole.applicationProtocols());
        assertThat(split.supportedVersions()).isEqualTo(whole.supportedVersions());
        assertThat(split.sessionId()).isEqualTo(whole.sessionId());
        assertThat(split.length()).isEqualTo(wire.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 100})
    void clientHello_everyPrefix_needMoreBytesWithinTheTrueLength(int fragment) {
        byte[] message = Hellos.tls12ClientHello("mail.example.com");
        byte[] wire = fragment == 0 ? record(message) : records(message, fragment);
        for (int n = 0; n < wire.length; n++) {
            HelloResult r = TlsHellos.parseClientHello(wire, 0, n);

            assertThat(r).as("prefix of %d bytes", n).isInstanceOf(HelloResult.NeedMoreBytes.class);
            assertThat(((HelloResult.NeedMoreBytes) r).atLeast()).as("prefix of %d bytes", n)
                    .isGreaterThan(n).isLessThanOrEqualTo(wire.length);
        }
        assertThat(client(wire)).isInstanceOf(HelloResult.ClientHello.class);
    }

    @Test
    void clientHello_headerSplitAcrossRecords_parsed() {
        byte[] message = Hellos.tls12ClientHello("mail.example.com");

        HelloResult r = client(records(message, 1, 2, message.length - 3));

        assertThat(((HelloResult.ClientHello) r).serverName()).isEqualTo("mail.example.com");
    }

    @Test
    void clientHello_followedByMoreRecords_lengthIsTheHelloOnly() {
        byte[] hello = record(Hellos.tls12ClientHello("mail.example.com"));
        byte[] wire = concat(hello, new byte[] {23, 3, 3, 0, 2, 1, 2});

        assertThat(((HelloResult.ClientHello) client(wire)).length()).isEqualTo(hello.length);
    }

    @Test
    void parse_offsetIntoALargerArray_readsOnlyTheRange() {
        byte[] hello = record(Hellos.tls12ClientHello("mail.example.com"));
        byte[] big = concat(new byte[] {1, 2, 3}, hello, new byte[] {(byte) 0xff});

        assertThat(TlsHellos.parseClientHello(big, 3, hello.length)).isEqualTo(client(hello));
        assertThat(TlsHellos.parseClientHello(big, 3, hello.length - 1))
                .isInstanceOf(HelloResult.NeedMoreBytes.class);
    }

    @Test
    void parse_byteBuffers_positionKept() {
        byte[] hello = record(Hellos.tls12ClientHello("mail.example.com"));
        ByteBuffer heap = ByteBuffer.wrap(concat(new byte[5], hello), 5, hello.length).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(hello.length).put(hello).flip();

        assertThat(TlsHellos.parseClientHello(heap)).isEqualTo(client(hello));
        assertThat(TlsHellos.parseClientHello(direct)).isEqualTo(client(hello));
        assertThat(direct.position()).isZero();
    }

    @Test
    void notTls_plainHttp_saysWhatItSaw() {
        assertThat(client("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new HelloResult.NotTls("first byte 0x47 is not a TLS handshake record (0x16)"));
    }

    @Test
    void notTls_sslv2CompatibleHello_notTls() {
        assertThat(client(new byte[] {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01})).isInstanceOf(HelloResult.NotTls.class);
    }

    @Test
    void notTls_badRecordVersion_notTls() {
        assertThat(client(new byte[] {22, 7, 1, 0, 5})).isEqualTo(new HelloResult.NotTls(
                "record version 0x0701 is not TLS"));
    }

    @Test
    void emptyInput_needsARecordHeader() {
        assertThat(client(new byte[0])).isEqualTo(new HelloResult.NeedMoreBytes(5));
    }

    static void assertMalformed(byte[] wire, String reason) {
        assertThat(client(wire)).isEqualTo(new HelloResult.Malformed(reason));
    }

    @Test
    void malformed_sessionIdOf33Bytes() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[33], new int[] {0x1301}))),
                "ClientHello: session ID length 33 exceeds 32");
    }

    @Test
    void malformed_extensionRunsPastTheBlock() {
        byte[] body = concat(clientHelloBody(0x0303, new byte[0], new int[] {0x1301}),
                vector16(concat(u16(0), u16(9), u8(1))));
        assertMalformed(record(handshake(1, body)),
                "ClientHello: extension 0x0000: length 9 runs past the extensions");
    }

    @Test
    void malformed_extensionsLengthDoesNotMatch() {
        byte[] body = concat(clientHelloBody(0x0303, new byte[0], new int[] {0x1301}), u16(10), ext(23, new byte[0]));
        assertMalformed(record(handshake(1, body)),
                "ClientHello: extensions length 10 does not match the 4 bytes left");
    }

    @Test
    void malformed_sniTwice() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                sni("a.example.com"), sni("b.example.com")))), "ClientHello: server_name appears twice");
    }

    @Test
    void malformed_twoHostNamesInOneSni() {
        byte[] list = concat(u8(0), vector16("a.com".getBytes(StandardCharsets.US_ASCII)), u8(0),
                vector16("b.com".getBytes(StandardCharsets.US_ASCII)));
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                ext(0, vector16(list))))), "ClientHello: server_name carries two host names");
    }

    @Test
    void malformed_sniWithNulByte() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                sni("evil.com\u0000.example.com")))), "ClientHello: SNI host name contains byte 0x00");
    }

    @Test
    void malformed_sniWithTrailingDot() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                sni("example.com.")))), "ClientHello: SNI host name starts or ends with a dot");
    }

    @Test
    void malformed_emptyAlpnName() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                ext(16, vector16(concat(vector8(new byte[0]), vector8(new byte[] {'h', '2'}))))))),
                "ClientHello: ALPN protocol name length 0 (expected: 1.., within the list)");
    }

    @Test
    void malformed_supportedVersionsOddLength() {
        assertMalformed(record(handshake(1, clientHelloBody(0x0303, new byte[0], new int[] {0x1301},
                ext(43, vector8(new byte[] {3, 4, 3}))))),
                "ClientHello: supported_versions length 3 (expected: even, at least 2, the 3 bytes of the extension)");
    }

    @Test
    void malformed_oddCipherSuitesLength() {
        byte[] body = concat(u16(0x0303), Hellos.RANDOM, vector8(new byte[0]), vector16(new byte[3]),
                vector8(u8(0)));
        assertMalformed(record(handshake(1, body)), "ClientHello: cipher suites length 3 (expected: even, at least"
                + " 2, within the hello)");
    }

    @Test
    void malformed_alertRecordInterruptsTheHello() {
        byte[] message = Hellos.tls12ClientHello("mail.example.com");
        byte[] first = Arrays.copyOf(records(message, 50), 55);
        byte[] wire = concat(first, new byte[] {21, 3, 3, 0, 2, 2, 40});

        assertMalformed(wire, "record type 21 at offset 55 interrupts the hello (expected: handshake, 22)");
    }

    @Test
    void malformed_emptyAndOversizedRecords() {
        assertMalformed(new byte[] {22, 3, 1, 0, 0}, "empty handshake record at offset 0");
        assertMalformed(new byte[] {22, 3, 1, 0x40, 1}, "record length 16385 at offset 0 exceeds 16384");
    }

    @Test
    void malformed_serverHelloWhereClientHelloExpected() {
        assertMalformed(record(handshake(2, new byte[40])),
                "first handshake message is type 2 (expected: ClientHello, 1)");
    }

    @Test
    void malformed_helloLongerThanTheLimit() {
        assertMalformed(concat(u8(22), u16(0x0301), u16(4), u8(1), u24(70_000)),
                "hello length 70000 exceeds 65536");
    }

    private static byte[] u24(int v) {
        return Hellos.u24(v);
    }

    @Test
    void serverHello_tls12_sessionIdSuiteAndAlpn() {
        byte[] wire = record(handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, Hellos.SESSION_ID, 0xc02f,
                ext(0xff01, vector8(new byte[0])), alpn("h2"))));

        assertThat(server(wire)).isEqualTo(new HelloResult.ServerHello(0x0303, SESSION_HEX, 0xc02f, 0x0303, "h2",
                false, wire.length));
        assertThat(((HelloResult.ServerHello) server(wire)).resumableSessionId()).isEqualTo(SESSION_HEX);
    }

    @Test
    void serverHello_tls13_selectedVersionFromExtension() {
        byte[] wire = record(handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, Hellos.SESSION_ID, 0x1301,
                ext(43, u16(0x0304)), ext(51, concat(u16(0x001d), vector16(new byte[32]))))));

        HelloResult.ServerHello hello = (HelloResult.ServerHello) server(wire);

        assertThat(hello.selectedVersion()).isEqualTo(0x0304);
        assertThat(hello.helloRetryRequest()).isFalse();
        assertThat(hello.applicationProtocol()).isEmpty();
        assertThat(hello.sessionId()).as("echoed").isEqualTo(SESSION_HEX);
        assertThat(hello.resumableSessionId()).as("TLS 1.3 resumes by ticket, not by this ID").isEmpty();
    }

    @Test
    void serverHello_helloRetryRequest_flagged() {
        byte[] hrrRandom = java.util.HexFormat.of().parseHex(
                "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
        byte[] wire = record(handshake(2, Hellos.serverHelloBody(0x0303, hrrRandom, Hellos.SESSION_ID, 0x1301,
                ext(43, u16(0x0304)), ext(51, u16(0x0017)))));

        assertThat(((HelloResult.ServerHello) server(wire)).helloRetryRequest()).isTrue();
        assertThat(((HelloResult.ServerHello) server(wire)).resumableSessionId()).isEmpty();
    }

    @Test
    void serverHello_sharingItsRecordWithTheCertificate_parsed() {
        byte[] hello = handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, Hellos.SESSION_ID, 0xc02f));
        byte[] wire = record(concat(hello, handshake(11, new byte[300])));

        HelloResult.ServerHello parsed = (HelloResult.ServerHello) server(wire);

        assertThat(parsed.sessionId()).isEqualTo(SESSION_HEX);
        assertThat(parsed.length()).isEqualTo(5 + hello.length);
    }

    @Test
    void serverHello_supportedVersionsOfWrongLength_malformed() {
        byte[] wire = record(handshake(2, Hellos.serverHelloBody(0x0303, Hellos.RANDOM, new byte[0], 0x1301,
                ext(43, u16s(0x0304, 0x0303)))));

        assertThat(server(wire)).isEqualTo(new HelloResult.Malformed(
                "ServerHello: supported_versions length 4 (expected: 2)"));
    }
}
