package dev.switchboard.examples.embed;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.TcpConnection;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The demo: builds the mail.example.com virtual service of the design brief (several workloads on the same two
 * servers, a rewrite of {@code /} to {@code /owa}, a deny rule, an HTTP-to-HTTPS redirector and an L4 service),
 * then prints the engine's decision for a handful of requests, including bad ones, a decision trace, and what
 * draining a server does. No sockets: the reference gateway (lb-gateway.jar) will do the I/O.
 *
 * <pre>java -jar lb-examples/target/lb-demo.jar</pre>
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            out.println("== decisions ==");
            for (HttpRequest r : requests()) {
                Decision d = engine.dispatch(r.scheme().equals("https") ? "mail" : "http-to-https", r);
                out.printf("%-58s -> %s%n", r, describe(d));
                if (d instanceof Decision.Forward f) {
                    f.release(Outcome.ofStatus(200, 1_000_000));
                }
            }
            InetAddress client = InetAddress.getByName("192.0.2.10");
            Decision l4 = engine.dispatch("imap", TcpConnection.of(client, 993));
            out.printf("%-58s -> %s%n", "tcp connection from 192.0.2.10 to :993", describe(l4));
            ((Decision.Forward) l4).release(Outcome.ofStatus(0, 0));

            out.println();
            out.println("== persistence: the first /owa/ response inserts a cookie, the next requests carry it ==");
            Decision.Forward first = (Decision.Forward) engine.dispatch("mail", https("/owa/").build());
            String setCookie = first.onResponse(ResponseView.ofStatus(200)).stream()
                    .filter(e -> e.name().equals("Set-Cookie")).findFirst().orElseThrow().value();
            first.release(Outcome.ofStatus(200, 1_000_000));
            out.println("first request  -> " + describe(first) + ", Set-Cookie: " + setCookie);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            for (int i = 0; i < 3; i++) {
                Decision d = engine.dispatch("mail", https("/owa/?n=" + i).header("Cookie", cookie).build());
                out.println("with the cookie -> " + describe(d));
                ((Decision.Forward) d).release(Outcome.ofStatus(200, 1_000_000));
            }

            out.println();
            out.println("== explain GET https://mail.example.com/EWS/Exchange.asmx ==");
            out.println(engine.explain("mail", https("/EWS/Exchange.asmx").build()));

            out.println();
            out.println("== maintenance: drain ex01 while one of its requests is in flight ==");
            Decision.Forward inFlight = forwardTo(engine, "ex01");
            var drained = engine.setAdminState("ex01", AdminState.DRAINING, Duration.ofSeconds(30));
            out.println("ex01 draining, drained yet? " + drained.isDone());
            Decision newClient = engine.dispatch("mail", https("/owa/").build());
            out.println("a new client's /owa/ now goes to " + describe(newClient));
            ((Decision.Forward) newClient).release(Outcome.ofStatus(200, 1_000_000));
            inFlight.release(Outcome.ofStatus(200, 1_000_000));
            out.println("in-flight request done, drained: " + drained.get());
            out.println();
            out.println("== stats ==");
            engine.stats().virtualServices().forEach(v -> {
                out.println(v.name() + ": " + v.totalRequests() + " requests");
                v.subServices().forEach(s -> out.println("  " + s.name() + ": " + s.totalRequests() + " requests, "
                        + s.realServers().stream().map(r -> r.name() + " " + r.state().configName() + " "
                                + r.totalRequests()).toList()));
            });
        }
    }

    static LoadBalancer model() {
        List<String> workloads = List.of("owa", "ews", "mapi", "Microsoft-Server-ActiveSync", "autodiscover");
        VirtualService.Builder mail = VirtualService.builder("mail").listen("127.0.0.1:8443").protocol(Protocol.HTTPS)
                .scheduling(SchedulingMethod.WEIGHTED_LEAST_CONNECTION)
                .persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(45))
                        .cookieSecret("demo-secret-0123456789").build())
                .requestRule(HeaderRule.rewritePath("^/$", "/owa/"))
                .requestRule(HeaderRule.deny().when(ContentMatch.all(
                        ContentRule.path(MatchType.PREFIX, "/ecp").ignoreCase(),
                        ContentRule.source("10.0.0.0/8").negate())))
                .requestRule(HeaderRule.setHeader("X-Gateway", "switchboard"))
                .responseRule(HeaderRule.removeHeader("Server"));
        for (String w : workloads) {
            mail.subService(SubService.builder(w.toLowerCase())
                    .matchAny(ContentRule.pathPrefix("/" + w).ignoreCase())
                    .realServer(RealServer.of("ex01", "10.0.0.11:443"))
                    .realServer(RealServer.of("ex02", "10.0.0.12:443"))
                    .build());
        }
        mail.subService(SubService.builder("default").asDefault()
                .realServer(RealServer.of("ex01", "10.0.0.11:443")).build());
        return LoadBalancer.builder()
                .virtualService(mail.build())
                .virtualService(VirtualService.builder("http-to-https").listen("127.0.0.1:8080")
                        .redirect(Redirect.toScheme("https")).build())
                .virtualService(VirtualService.builder("imap").listen("127.0.0.1:8993").protocol(Protocol.TCP)
                        .scheduling(SchedulingMethod.SOURCE_IP_HASH)
                        .subService(SubService.builder("pool").asDefault()
                                .realServer(RealServer.of("ex01", "10.0.0.11:993"))
                                .realServer(RealServer.of("ex02", "10.0.0.12:993")).build())
                        .build())
                .build();
    }

    private static List<HttpRequest> requests() throws UnknownHostException {
        return List.of(
                https("/owa/?ae=Item").build(),
                https("/OWA/auth/logon.aspx").build(),
                https("/ews/Exchange.asmx").build(),
                https("/Microsoft-Server-ActiveSync?Cmd=Sync").build(),
                https("/").build(),
                https("/something/else").build(),
                https("/owa/../ecp/").build(),
                https("/ecp/").source(InetAddress.getByName("10.1.2.3")).build(),
                https("/owa/%2e%2e/%2e%2e/etc/passwd").build(),
                https("/owa%2Fx").build(),
                HttpRequest.builder().scheme("http").authority("mail.example.com").target("/owa/?x=1").build());
    }

    private static HttpRequest.Builder https(String target) throws UnknownHostException {
        return HttpRequest.builder().scheme("https").authority("mail.example.com").target(target)
                .source(InetAddress.getByName("203.0.113.7"));
    }

    private static Decision.Forward forwardTo(DispatchEngine engine, String server) throws UnknownHostException {
        for (int i = 0; i < 10; i++) {
            Decision d = engine.dispatch("mail", https("/owa/").build());
            if (d instanceof Decision.Forward f && f.target().server().equals(server)) {
                return f;
            }
            if (d instanceof Decision.Forward f) {
                f.release(Outcome.ofStatus(200, 0));
            }
        }
        throw new IllegalStateException(server + " was never picked");
    }

    static String describe(Decision d) {
        if (d instanceof Decision.Forward f) {
            return "forward to " + f.target().subService() + "/" + f.target().server() + " (" + f.target().address()
                    + ") path " + f.path() + (f.requestEdits().isEmpty() ? "" : " edits " + f.requestEdits().size());
        }
        if (d instanceof Decision.Redirect r) {
            return r.status() + " redirect to " + r.location();
        }
        if (d instanceof Decision.Respond r) {
            return r.status() + " " + r.reason();
        }
        return "queued";
    }
}
