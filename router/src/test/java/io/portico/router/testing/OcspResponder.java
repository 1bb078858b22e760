package io.portico.router.testing;

import io.portico.tls.TlsKeyPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A local OCSP responder for tests: a Vert.x HTTP server that answers each POSTed OCSP request with
 * a response signed by the CA, with the status it is told to give ({@link Answer}). It counts the
 * requests it receives.
 */
public final class OcspResponder implements AutoCloseable {

  /** What the responder answers. */
  public enum Answer {
    GOOD,
    REVOKED,
    /** A {@code good} response signed by a key that is not the CA's. */
    BADLY_SIGNED,
    /** HTTP 500, no OCSP response at all. */
    SERVER_ERROR
  }

  private final HttpServer server;
  private final TlsKeyPair ca;
  private final TlsKeyPair impostor;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Answer answer = Answer.GOOD;
  private volatile Duration validity = Duration.ofHours(1);

  private OcspResponder(HttpServer server, TlsKeyPair ca, TlsKeyPair impostor) {
    this.server = server;
    this.ca = ca;
    this.impostor = impostor;
  }

  /** Starts a responder for the certificates {@code ca} issued, on 127.0.0.1 and a free port. */
  public static OcspResponder start(Vertx vertx, TlsKeyPair ca, TlsKeyPair impostor)
      throws Exception {
    HttpServer server = vertx.createHttpServer();
    OcspResponder responder = new OcspResponder(server, ca, impostor);
    server.requestHandler(
        request ->
            request
                .body()
                .onSuccess(
                    body -> {
                      responder.requests.incrementAndGet();
                      if (responder.answer == Answer.SERVER_ERROR) {
                        request.response().setStatusCode(500).end();
                        return;
                      }
                      try {
                        byte[] response = responder.respond(body.getBytes());
                        request
                            .response()
                            .putHeader("Content-Type", "application/ocsp-response")
                            .end(Buffer.buffer(response));
                      } catch (Exception e) {
                        request.response().setStatusCode(400).end(e.toString());
                      }
                    }));
    TestVertx.await(server.listen(0, "127.0.0.1"));
    return responder;
  }

  /** The URL to write in certificates' Authority Information Access. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  /** From now on, answer {@code newAnswer}. */
  public void answer(Answer newAnswer) {
    this.answer = newAnswer;
  }

  /** From now on, give responses a {@code nextUpdate} this far after {@code thisUpdate}. */
  public void validity(Duration newValidity) {
    this.validity = newValidity;
  }

  /** The number of OCSP requests received so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() throws Exception {
    TestVertx.await(server.close());
  }

  private byte[] respond(byte[] requestBytes) throws Exception {
    OCSPReq request = new OCSPReq(requestBytes);
    TlsKeyPair signer = answer == Answer.BADLY_SIGNED ? impostor : ca;
    BasicOCSPRespBuilder builder =
        new JcaBasicOCSPRespBuilder(
            signer.leaf().getPublicKey(),
            new JcaDigestCalculatorProviderBuilder()
                .build()
                .get(org.bouncycastle.cert.ocsp.RespID.HASH_SHA1));
    Instant now = Instant.now();
    for (Req one : request.getRequestList()) {
      CertificateStatus status =
          answer == Answer.REVOKED
              ? new RevokedStatus(Date.from(now.minusSeconds(60)), 1)
              : CertificateStatus.GOOD;
      builder.addResponse(
          one.getCertID(), status, Date.from(now), Date.from(now.plus(validity)), null);
    }
    String algorithm =
        signer.privateKey().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    BasicOCSPResp basic =
        builder.build(
            new JcaContentSignerBuilder(algorithm).build(signer.privateKey()),
            new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.leaf())},
            Date.from(now));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }

  /** The status in a stapled response: {@code good}, {@code revoked} or {@code unknown}. */
  public static String status(byte[] stapled) throws Exception {
    BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(stapled).getResponseObject();
    CertificateStatus status = basic.getResponses()[0].getCertStatus();
    return status == CertificateStatus.GOOD
        ? "good"
        : status instanceof RevokedStatus ? "revoked" : "unknown";
  }
}
