package dev.switchboard.netty.internal.http;

import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.engine.auth.CsrfTokens;
import dev.switchboard.engine.auth.LoginResult;
import dev.switchboard.engine.auth.NextUrl;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.engine.auth.SsoCookies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's login and logout pages, served on a virtual service that authenticates when its listener has a
 * {@link PreAuthentication} with SSO: {@code GET /.switchboard/login?next=...} answers the form with a CSRF token
 * (a hidden field, its cookie set alongside); {@code POST} reads the urlencoded form (at most {@value #MAX_FORM}
 * bytes, else 413), verifies the CSRF token (403 and a fresh form when wrong), checks the credentials
 * asynchronously, and answers 303 to the validated {@code next} with the SSO cookie, or the form again with a
 * message (wrong password), 429 (locked) or 503 (directory unavailable). {@code /.switchboard/logout} ends the
 * session of the SSO cookie it carries ({@link dev.switchboard.engine.auth.SsoCookies#revoke}: a copy is refused
 * afterwards) and clears the cookie. Pages are never cached. Event loop only (the check completes back on it).
 */
final class LoginPage implements RequestPhase {

    static final String LOGIN = "/.switchboard/login";
    static final String LOGOUT = "/.switchboard/logout";
    /** The largest login form body read. */
    static final int MAX_FORM = 8_192;
    private static final Duration CSRF_AGE = Duration.ofMinutes(30);
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private final ProxyRequest request;
    private final PreAuthentication preAuth;
    private final SsoCookies cookies;
    private final String realm;
    private final boolean secure;
    private ByteBuf form;
    private boolean closed;

    private LoginPage(ProxyRequest request, PreAuthentication preAuth, SsoCookies cookies, String realm) {
        this.request = request;
        this.preAuth = preAuth;
        this.cookies = cookies;
        this.realm = realm;
        this.secure = "https".equals(request.context().scheme());
    }

    /** Serves the request when it is for the login or logout page of a virtual service that authenticates. */
    static boolean serves(ProxyRequest request) {
        String uri = request.head().uri();
        if (!uri.startsWith("/.switchboard/log")) {
            return false;
        }
        PreAuthentication preAuth = request.context().preAuthentication();
        if (preAuth == null || preAuth.ssoCookies().isEmpty()) {
            return false;
        }
        String path = new QueryStringDecoder(uri).path();
        if (!path.equals(LOGIN) && !path.equals(LOGOUT)) {
            return false;
        }
        LoadBalancer model = request.context().engine().model();
        if (!authenticates(model, request.settings().virtualService())) {
            return false;
        }
        String realm = model.findAuthentication().map(Authentication::realm).orElse(Authentication.DEFAULT_REALM);
        LoginPage page = new LoginPage(request, preAuth, preAuth.ssoCookies().get(), realm);
        request.connection().phase(page);
        page.start(path);
        return true;
    }

    private static boolean authenticates(LoadBalancer model, String name) {
        for (VirtualService vs : model.virtualServices()) {
            if (vs.name().equals(name)) {
                return vs.auth().enabled() || vs.subServices().stream().map(SubService::findAuth)
                        .anyMatch(p -> p.map(AuthPolicy::enabled).orElse(false));
            }
        }
        return false;
    }

    private void start(String path) {
        HttpMethod method = request.head().method();
        if (path.equals(LOGOUT)) {
            logout();
        } else if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            String next = new QueryStringDecoder(request.head().uri()).parameters()
                    .getOrDefault("next", List.of("/")).get(0);
            showForm(200, "", NextUrl.orRoot(next));
        } else if (!method.equals(HttpMethod.POST)) {
            request.answer(405, "Method Not Allowed", List.of(HeaderEdit.set("Allow", "GET, HEAD, POST")),
                    request.keepAliveAfterAnswer());
        } else if (!isForm()) {
            request.answer(415, "Unsupported Media Type (expected " + FORM_TYPE + ")", List.of(),
                    request.keepAliveAfterAnswer());
        } else if (HttpUtil.getContentLength(request.head(), 0L) > MAX_FORM) {
            request.answer(413, "Content Too Large (a login form has at most " + MAX_FORM + " bytes)", List.of(),
                    false);
        } else if (!request.hasBody()) {
            posted(Map.of());
        } else {
            form = Unpooled.buffer(256, MAX_FORM);
            if (request.relaysContinue()) {
                request.writeContinue();
            }
            request.connection().read();
        }
    }

    private boolean isForm() {
        String type = request.head().headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM_TYPE);
    }

    @Override
    public void onContent(HttpContent content) {
        try {
            if (form == null || content.decoderResult().isFailure()) {
                release();
                request.answer(400, "Bad Request", List.of(), false);
                return;
            }
            if (content.content().readableBytes() > form.maxWritableBytes()) {
                release();
                request.answer(413, "Content Too Large (a login form has at most " + MAX_FORM + " bytes)",
                        List.of(), false);
                return;
            }
            form.writeBytes(content.content());
        } finally {
            content.release();
        }
        if (content instanceof LastHttpContent) {
            request.bodyDone();
            String body = form.toString(StandardCharsets.UTF_8);
            release();
            posted(new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters());
        } else {
            request.connection().read();
        }
    }

    private void posted(Map<String, List<String>> fields) {
        String next = NextUrl.orRoot(field(fields, "next"));
        String user = field(fields, "username").strip();
        String password = field(fields, "password");
        if (!csrf().verify(cookie(CsrfTokens.COOKIE_NAME), field(fields, "csrf"))) {
            showForm(403, "This form has expired or did not come from this site. Please sign in again.", next);
            return;
        }
        if (user.isEmpty() || password.isEmpty()) {
            showForm(400, "Enter your user name and your password.", next);
            return;
        }
        InetAddress client = request.client();
        String address = client != null ? client.getHostAddress() : request.connection().peerText();
        preAuth.check(request.settings().virtualService(), Credentials.of(user, password, address))
                .whenComplete((r, e) -> {
                    LoginResult result = r != null ? r : new LoginResult.Unavailable("check failed");
                    if (request.connection().eventLoop().inEventLoop()) {
                        checked(result, next);
                    } else {
                        request.connection().eventLoop().execute(() -> checked(result, next));
                    }
                });
    }

    private void checked(LoginResult result, String next) {
        if (closed) {
            return;
        }
        if (result instanceof LoginResult.Accepted a) {
            List<HeaderEdit> headers = new ArrayList<>(noStore());
            headers.add(HeaderEdit.set("Location", next));
            headers.add(HeaderEdit.add("Set-Cookie", cookies.setCookie(a.cookieValue(), secure)));
            headers.add(HeaderEdit.add("Set-Cookie", csrfCookie("", 0)));
            request.answer(303, "", headers, request.keepAliveAfterAnswer());
        } else if (result instanceof LoginResult.Rejected) {
            showForm(200, "The user name or the password is not right.", next);
        } else if (result instanceof LoginResult.Locked l) {
            List<HeaderEdit> headers = new ArrayList<>(html());
            headers.addAll(BasicCheck.retryAfter(l.retryAfterSeconds()));
            request.answer(429, LoginHtml.notice("Too many attempts", "Sign-in is paused after repeated failures."
                    + " Try again in " + l.retryAfterSeconds() + " seconds.", "Sign in", LOGIN + "?next="
                    + URLEncoder.encode(next, StandardCharsets.UTF_8)), headers, request.keepAliveAfterAnswer());
        } else {
            List<HeaderEdit> headers = new ArrayList<>(html());
            headers.addAll(BasicCheck.retryAfter(BasicCheck.UNAVAILABLE_RETRY_SECONDS));
            request.answer(503, LoginHtml.notice("Sign-in unavailable", "The directory cannot answer right now."
                    + " Please try again in a moment.", "Sign in", LOGIN + "?next="
                    + URLEncoder.encode(next, StandardCharsets.UTF_8)), headers, request.keepAliveAfterAnswer());
        }
    }

    private void showForm(int status, String message, String next) {
        CsrfTokens.Token token = csrf().issue(cookie(CsrfTokens.COOKIE_NAME)); // the browser's cookie, if any
        List<HeaderEdit> headers = new ArrayList<>(html());
        headers.add(HeaderEdit.add("Set-Cookie", csrfCookie(token.cookie(), (int) CSRF_AGE.toSeconds())));
        request.answer(status, LoginHtml.form(realm, message, next, token.form()), headers,
                request.keepAliveAfterAnswer());
    }

    private void logout() {
        for (String header : request.head().headers().getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(cookies.settings().cookieName())) {
                    cookies.revoke(c.value()); // copies of it are refused from now on, on every virtual service
                }
            }
        }
        List<HeaderEdit> headers = new ArrayList<>(html());
        headers.add(HeaderEdit.add("Set-Cookie", cookies.clearCookie(secure)));
        request.answer(200, LoginHtml.notice("Signed out", "You are signed out.", "Sign in again", LOGIN),
                headers, request.keepAliveAfterAnswer());
    }

    private CsrfTokens csrf() {
        return CsrfTokens.of(cookies.settings().secret(), CSRF_AGE);
    }

    private String csrfCookie(String value, int maxAge) {
        return CsrfTokens.COOKIE_NAME + "=" + value + "; Path=/.switchboard/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private String cookie(String name) {
        for (String header : request.head().headers().getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
        }
        return "";
    }

    private static String field(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static List<HeaderEdit> html() {
        List<HeaderEdit> headers = new ArrayList<>(noStore());
        headers.add(HeaderEdit.set("Content-Type", "text/html; charset=utf-8"));
        return headers;
    }

    private static List<HeaderEdit> noStore() {
        return List.of(HeaderEdit.set("Cache-Control", "no-store"), HeaderEdit.set("X-Frame-Options", "DENY"));
    }

    private void release() {
        if (form != null) {
            form.release();
            form = null;
        }
    }

    @Override
    public void onClientClosed() {
        closed = true;
        release();
    }
}
