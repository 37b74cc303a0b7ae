package dev.switchboard.micrometer;

/**
 * The names and tag keys of the meters {@link SwitchboardMetrics} registers (Micrometer's dotted form; a
 * Prometheus registry writes {@code switchboard.requests} as {@code switchboard_requests_total}, a timer as
 * {@code _seconds} with {@code _bucket}, {@code _count} and {@code _sum}).
 */
public final class MeterNames {

    /** Tag: the virtual service's name. */
    public static final String VIRTUAL_SERVICE = "virtual_service";
    /** Tag: the sub-service's name. */
    public static final String SUB_SERVICE = "sub_service";
    /** Tag: the real server's name. */
    public static final String REAL_SERVER = "real_server";

    /** Counter per real server: leases handed out. */
    public static final String REQUESTS = "switchboard.requests";
    /** Counter per real server, tag {@code class} ({@code 1xx} .. {@code 5xx}): responses released. */
    public static final String RESPONSES = "switchboard.responses";
    /** Counter per real server, tag {@code kind} (connect, timeout, reset, protocol, cancelled). */
    public static final String FAILURES = "switchboard.failures";
    /** Gauge per real server: leases not yet released. */
    public static final String ACTIVE = "switchboard.active.connections";
    /** Counter per real server, bytes: from clients, as the host reports them. */
    public static final String RECEIVED = "switchboard.received";
    /** Counter per real server, bytes: to clients, as the host reports them. */
    public static final String SENT = "switchboard.sent";
    /** Gauge per real server: 1 when the health verdict is up, else 0. */
    public static final String HEALTHY = "switchboard.server.healthy";
    /** Gauge per real server and tag {@code state} (enabled, draining, disabled): 1 for the admin state in force. */
    public static final String ADMIN_STATE = "switchboard.server.admin.state";
    /** Gauge per real server and tag {@code state} (normal, ejected, half_open): 1 for the outlier state. */
    public static final String OUTLIER_STATE = "switchboard.server.outlier.state";
    /** Gauge per real server: the weight schedulers use. */
    public static final String WEIGHT = "switchboard.server.weight";
    /** Counter per real server: ejections by passive outlier detection. */
    public static final String EJECTIONS = "switchboard.ejections";
    /** Counter per real server, tag {@code result} (passed, failed): active probes. */
    public static final String PROBES = "switchboard.probes";
    /** Time gauge per real server: the latency of the last active probe (NaN before the first). */
    public static final String PROBE_LATENCY = "switchboard.probe.latency";
    /** Timer per real server: from the request's start to the first byte of the real server's response. */
    public static final String FIRST_BYTE = "switchboard.time.to.first.byte";
    /** Timer per real server: from the request's start to the lease's release. */
    public static final String DURATION = "switchboard.request.duration";
    /** The description (Prometheus {@code HELP}) of {@link #FIRST_BYTE}. */
    public static final String FIRST_BYTE_DESCRIPTION =
            "From the request's start to the first byte of the real server's response";
    /** The description (Prometheus {@code HELP}) of {@link #DURATION}. */
    public static final String DURATION_DESCRIPTION = "From the request's start to the release of its lease";

    /** Counter per sub-service: requests that reached it (its servers' leases, sorry and 503 answers). */
    public static final String SUB_REQUESTS = "switchboard.sub.service.requests";
    /** Counter per sub-service, tag {@code answer} (unavailable: the 503s, its rejected; sorry). */
    public static final String SUB_ANSWERS = "switchboard.sub.service.answers";
    /** Counter per sub-service: requests that ever waited in its queue. */
    public static final String QUEUED = "switchboard.sub.service.queued";
    /** Gauge per sub-service: requests waiting in its queue now. */
    public static final String WAITING = "switchboard.sub.service.waiting";
    /** Gauge per sub-service and tag {@code state} (up, panic, down): 1 for the state in force. */
    public static final String SUB_STATE = "switchboard.sub.service.state";
    /** Gauge per sub-service: servers enabled, healthy and of weight above 0. */
    public static final String HEALTHY_SERVERS = "switchboard.sub.service.healthy.servers";
    /** Gauge per sub-service: entries in its persistence tables. */
    public static final String PERSISTENCE_ENTRIES = "switchboard.sub.service.persistence.entries";
    /** Counter per sub-service, tag {@code result} (hit, miss): persistence lookups. */
    public static final String PERSISTENCE_LOOKUPS = "switchboard.sub.service.persistence.lookups";
    /** Counter per sub-service: persistent clients sent afresh after a failed connection. */
    public static final String REDISPATCHES = "switchboard.sub.service.redispatches";
    /** Counter per sub-service: failed attempts on its servers that the host sent again (HTTP retries). */
    public static final String RETRIES = "switchboard.sub.service.retries";

    /** Counter per virtual service: requests and connections dispatched. */
    public static final String VS_REQUESTS = "switchboard.virtual.service.requests";
    /**
     * Counter per virtual service, tag {@code answer} (redirect, bad_request, not_found, denied, unavailable): what
     * the engine answered itself before a sub-service.
     */
    public static final String VS_ANSWERS = "switchboard.virtual.service.answers";
    /** Gauge per virtual service: entries in the persistence tables of its sub-services. */
    public static final String VS_PERSISTENCE_ENTRIES = "switchboard.virtual.service.persistence.entries";

    /**
     * Counter per virtual service that pre-authenticates, tag {@code result}: logins {@code accepted} (by the
     * directory or the check cache), {@code rejected} (wrong credentials), {@code locked} (refused for a lockout in
     * force, the directory not asked), {@code unavailable} (the directory could not answer: 503).
     */
    public static final String AUTHENTICATIONS = "switchboard.authentication";
    /** Counter per virtual service that pre-authenticates: accepted logins answered from the check cache. */
    public static final String AUTHENTICATIONS_CACHED = "switchboard.authentication.cached";
    /** Counter per virtual service that pre-authenticates: users or client addresses locked out. */
    public static final String LOCKOUTS = "switchboard.authentication.lockouts";
    /** Counter per virtual service that pre-authenticates: requests challenged (401 Basic, login page redirect). */
    public static final String CHALLENGES = "switchboard.authentication.challenges";

    private MeterNames() {
    }
}
