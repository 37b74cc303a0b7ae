/**
 * The dispatch engine: {@code dev.switchboard.engine} ({@code DispatchEngine} and its builder) turns a
 * {@code LoadBalancer} model into lock-free routing tables and answers each request with a {@code Decision}.
 * Everything in {@code dev.switchboard.engine.internal.*} is implementation and not exported.
 */
@SuppressWarnings("requires-automatic")   // each automatic module required is named below
module dev.switchboard.engine {
    requires transitive dev.switchboard.api;

    requires com.github.benmanes.caffeine;
    // re2j 1.8 has neither a module descriptor nor an Automatic-Module-Name: "re2j" is derived from its file name
    // (re2j-VERSION.jar) and would change if re2j ever names itself (google/re2j#176). Used only inside
    // engine.internal, so never "requires transitive".
    requires re2j;
    requires org.slf4j;

    exports dev.switchboard.engine;
    exports dev.switchboard.engine.auth;
}
