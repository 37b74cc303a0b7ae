package dev.switchboard.micrometer;

import static dev.switchboard.micrometer.MeterNames.*;

import dev.switchboard.engine.AuthenticationStats;
import dev.switchboard.engine.LiveSubService;
import dev.switchboard.engine.LiveVirtualService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The function meters of one virtual service or sub-service: they read its live counters at each scrape. Nothing
 * else keeps a {@link LiveVirtualService} or {@link LiveSubService} view, and Micrometer holds a function meter's
 * object weakly (it reads NaN once collected): each view's gauges hold it strongly, so the view lives exactly as long
 * as its meters are registered.
 */
final class ServiceMeters {

    private static final String[] SUB_STATES = {"up", "panic", "down"};

    private ServiceMeters() {
    }

    static List<Meter> register(MeterRegistry registry, LiveVirtualService vs) {
        Tags tags = Tags.of(VIRTUAL_SERVICE, vs.name());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder(VS_REQUESTS, vs, LiveVirtualService::requests).tags(tags)
                .description("Requests and connections dispatched to the virtual service").register(registry));
        answer(registry, meters, vs, tags, "redirect", LiveVirtualService::redirects);
        answer(registry, meters, vs, tags, "bad_request", LiveVirtualService::badRequests);
        answer(registry, meters, vs, tags, "not_found", LiveVirtualService::notFound);
        answer(registry, meters, vs, tags, "denied", LiveVirtualService::denied);
        answer(registry, meters, vs, tags, "unavailable", LiveVirtualService::unavailable);
        meters.add(Gauge.builder(VS_PERSISTENCE_ENTRIES, vs, LiveVirtualService::persistenceEntries)
                .tags(tags).strongReference(true)
                .description("Entries in the persistence tables of its sub-services").register(registry));
        return meters;
    }

    /**
     * The pre-authentication counters of {@code vs} (registered while it authenticates): logins by result, cached
     * logins, lockouts, challenges.
     */
    static List<Meter> registerAuthentication(MeterRegistry registry, LiveVirtualService vs) {
        Tags tags = Tags.of(VIRTUAL_SERVICE, vs.name());
        List<Meter> meters = new ArrayList<>();
        String results = "Pre-authentication logins by result: accepted, rejected, locked (refused while locked out),"
                + " unavailable (the directory could not answer)";
        authentication(registry, meters, vs, tags, "accepted", a -> a.logins() + a.cachedLogins(), results);
        authentication(registry, meters, vs, tags, "rejected", AuthenticationStats::failures, results);
        authentication(registry, meters, vs, tags, "locked", AuthenticationStats::lockedRefusals, results);
        authentication(registry, meters, vs, tags, "unavailable", AuthenticationStats::unavailable, results);
        meters.add(FunctionCounter.builder(AUTHENTICATIONS_CACHED, vs, v -> v.authentication().cachedLogins())
                .tags(tags).description("Accepted logins answered from the check cache (no directory call)")
                .register(registry));
        meters.add(FunctionCounter.builder(LOCKOUTS, vs, v -> v.authentication().lockouts()).tags(tags)
                .description("Users or client addresses locked out after repeated failures").register(registry));
        meters.add(FunctionCounter.builder(CHALLENGES, vs, v -> v.authentication().challenges()).tags(tags)
                .description("Requests challenged: 401 with WWW-Authenticate, or a redirect to the login page")
                .register(registry));
        return meters;
    }

    private static void authentication(MeterRegistry registry, List<Meter> meters, LiveVirtualService vs, Tags tags,
            String result, ToLongFunction<AuthenticationStats> count, String description) {
        meters.add(FunctionCounter.builder(AUTHENTICATIONS, vs, v -> count.applyAsLong(v.authentication()))
                .tags(tags).tag("result", result).description(description).register(registry));
    }

    private static void answer(MeterRegistry registry, List<Meter> meters, LiveVirtualService vs, Tags tags,
            String answer, ToDoubleFunction<LiveVirtualService> count) {
        meters.add(FunctionCounter.builder(VS_ANSWERS, vs, count).tags(tags).tag("answer", answer)
                .description("Requests the engine answered itself, before any sub-service").register(registry));
    }

    static List<Meter> register(MeterRegistry registry, LiveSubService sub) {
        Tags tags = Tags.of(VIRTUAL_SERVICE, sub.virtualService(), SUB_SERVICE, sub.name());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder(SUB_REQUESTS, sub, LiveSubService::requests).tags(tags)
                .description("Requests that reached the sub-service").register(registry));
        meters.add(FunctionCounter.builder(SUB_ANSWERS, sub, LiveSubService::rejected).tags(tags)
                .tag("answer", "unavailable")
                .description("Requests the engine answered for the sub-service: 503 or the sorry server")
                .register(registry));
        meters.add(FunctionCounter.builder(SUB_ANSWERS, sub, LiveSubService::sorry).tags(tags).tag("answer", "sorry")
                .description("Requests the engine answered for the sub-service: 503 or the sorry server")
                .register(registry));
        meters.add(FunctionCounter.builder(QUEUED, sub, LiveSubService::queued).tags(tags)
                .description("Requests that waited for a connection slot").register(registry));
        meters.add(Gauge.builder(WAITING, sub, LiveSubService::waiting).tags(tags).strongReference(true)
                .description("Requests waiting for a connection slot now").register(registry));
        for (String state : SUB_STATES) {
            meters.add(Gauge.builder(SUB_STATE, sub, s -> s.state().equals(state) ? 1 : 0)
                    .tags(tags).strongReference(true)
                    .tag("state", state).description("1 for the state in force").register(registry));
        }
        meters.add(Gauge.builder(HEALTHY_SERVERS, sub, LiveSubService::healthyServers).tags(tags).strongReference(true)
                .description("Real servers enabled, healthy and of weight above 0").register(registry));
        meters.add(Gauge.builder(PERSISTENCE_ENTRIES, sub, LiveSubService::persistenceEntries)
                .tags(tags).strongReference(true)
                .description("Entries in its persistence tables").register(registry));
        meters.add(FunctionCounter.builder(PERSISTENCE_LOOKUPS, sub, LiveSubService::persistenceHits).tags(tags)
                .tag("result", "hit").description("Persistence lookups by result").register(registry));
        meters.add(FunctionCounter.builder(PERSISTENCE_LOOKUPS, sub, LiveSubService::persistenceMisses).tags(tags)
                .tag("result", "miss").description("Persistence lookups by result").register(registry));
        meters.add(FunctionCounter.builder(REDISPATCHES, sub, LiveSubService::redispatches).tags(tags)
                .description("Persistent clients sent afresh after a failed connection").register(registry));
        meters.add(FunctionCounter.builder(RETRIES, sub, LiveSubService::retries).tags(tags)
                .description("Failed attempts on its servers that were sent again").register(registry));
        return meters;
    }
}
