package dev.switchboard.engine;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.Outcome;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Request builders and decision casts shared by the engine tests. */
final class Requests {

    private Requests() {
    }

    static HttpRequest get(String target) {
        return HttpRequest.builder().scheme("https").authority("mail.example.com").target(target).build();
    }

    static HttpRequest.Builder request(String target) {
        return HttpRequest.builder().scheme("https").authority("mail.example.com").target(target);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Decision.Forward forward(Decision d) {
        if (d instanceof Decision.Forward f) {
            return f;
        }
        throw new AssertionError("expected a forward, got " + d);
    }

    static Decision.Respond respond(Decision d) {
        if (d instanceof Decision.Respond r) {
            return r;
        }
        throw new AssertionError("expected a respond, got " + d);
    }

    static String serverOf(Decision d) {
        Decision.Forward f = forward(d);
        f.release(Outcome.ofStatus(200, 0));
        return f.target().server();
    }
}
