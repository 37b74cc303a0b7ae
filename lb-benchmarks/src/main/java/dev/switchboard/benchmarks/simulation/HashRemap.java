package dev.switchboard.benchmarks.simulation;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Consistent-hash remapping, through the engine: ten real servers under {@code SOURCE_IP_HASH}, each of
 * {@code clients} client addresses (random IPv4 addresses from a fixed seed) dispatched once; then one server
 * leaves, either by a reconfiguration without it or by its health going down, and every client is dispatched
 * again. Reports which fraction of clients moved, and how many of those were not on the server that left (ideal:
 * none; then the moved fraction equals that server's share, about 1/10). Not thread-safe; one instance per run.
 */
final class HashRemap {

    /**
     * @param weights {@code equal} or {@code 1..5}
     * @param how {@code reconfigured} (the server left the configuration) or {@code marked down}
     * @param movedFraction clients whose server changed, over all clients
     * @param leavingShare the leaving server's share of clients before
     * @param movedElsewhere clients that moved although their server stayed
     */
    record Result(String weights, String how, double movedFraction, double leavingShare, long movedElsewhere) {
    }

    static final int SERVERS = 10;
    private static final String VS = "hash";
    private static final String SUB = "pool";

    private final HttpRequest[] requests;

    HashRemap(int clients, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        requests = new HttpRequest[clients];
        for (int c = 0; c < clients; c++) {
            int ip = random.nextInt();
            byte[] bytes = {(byte) (ip >> 24), (byte) (ip >> 16), (byte) (ip >> 8), (byte) ip};
            try {
                requests[c] = HttpRequest.builder().method("GET").scheme("http").authority("hash.example.com")
                        .target("/").source(InetAddress.getByAddress(bytes)).build();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Both ways of leaving, for equal weights and for weights 1..5 (from {@code seed}). */
    List<Result> run(long seed) {
        int[] equal = new int[SERVERS];
        java.util.Arrays.fill(equal, 1);
        int[] mixed = new int[SERVERS];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SERVERS; i++) {
            mixed[i] = 1 + random.nextInt(5);
        }
        List<Result> out = new ArrayList<>();
        for (boolean reconfigure : new boolean[] {true, false}) {
            out.add(leave("equal", equal, reconfigure));
            out.add(leave("1..5", mixed, reconfigure));
        }
        return out;
    }

    private Result leave(String label, int[] weights, boolean reconfigure) {
        String leaving = name(SERVERS - 1);
        try (DispatchEngine engine = DispatchEngine.create(model(weights, SERVERS))) {
            String[] before = targets(engine);
            if (reconfigure) {
                engine.reconfigure(model(weights, SERVERS - 1));
            } else {
                engine.setHealth(VS, SUB, leaving, Health.DOWN, "simulated");
            }
            String[] after = targets(engine);
            long moved = 0;
            long onLeaving = 0;
            long elsewhere = 0;
            for (int c = 0; c < requests.length; c++) {
                boolean wasLeaving = before[c].equals(leaving);
                onLeaving += wasLeaving ? 1 : 0;
                if (!before[c].equals(after[c])) {
                    moved++;
                    elsewhere += wasLeaving ? 0 : 1;
                }
            }
            return new Result(label, reconfigure ? "reconfigured without it" : "marked down",
                    (double) moved / requests.length, (double) onLeaving / requests.length, elsewhere);
        }
    }

    private String[] targets(DispatchEngine engine) {
        String[] out = new String[requests.length];
        for (int c = 0; c < requests.length; c++) {
            Decision d = engine.dispatch(VS, requests[c]);
            if (!(d instanceof Decision.Forward f)) {
                throw new IllegalStateException("client " + c + ": expected a forward, got " + d);
            }
            out[c] = f.target().server();
            f.release(Outcome.ofStatus(200, 0));
        }
        return out;
    }

    private static LoadBalancer model(int[] weights, int count) {
        SubService.Builder pool = SubService.builder(SUB).asDefault();
        for (int i = 0; i < count; i++) {
            pool.realServer(RealServer.builder(name(i), "10.2.0." + (i + 1) + ":8080").weight(weights[i])
                    .initialState(AdminState.ENABLED).build());
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder(VS).listen("0.0.0.0:80")
                .protocol(Protocol.HTTP).scheduling(SchedulingMethod.SOURCE_IP_HASH).subService(pool.build())
                .build()).build();
    }

    private static String name(int i) {
        return "h" + (i + 1);
    }
}
