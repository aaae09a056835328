/**
 * A self-signed P-256 certificate for CN=localhost / 127.0.0.1, valid until Oct 30 22:15:17 2126 GMT, for RTMPS tests
 * on loopback only. Generated with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
 * -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1. Never use it elsewhere.
 */
export const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUDzcpItjWgXk0B/hx1IR7dR4jHlswCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMzIyMTUxN1oYDzIxMjYxMDMw
MjIxNTE3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ+9djoCWZb/gCy38q5BerxAnJnHRCDKyTrJVVscp+syIcKgh1aEbsw
hat0q4TtfxyFa8/1YfOFlDt1xE/u6Prwo28wbTAdBgNVHQ4EFgQUC1Za/ksyfILo
qj/AgEP5x9Q4q4kwHwYDVR0jBBgwFoAUC1Za/ksyfILoqj/AgEP5x9Q4q4kwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIgcCcmKqo2yOpfvW4pMWTxeEw9RCO01uptbpcWkQ+a0jYCIQDl
SgVVolZkcM8e+QTycBpGRX3xNCxfKrIbOVhnEg3kIQ==
-----END CERTIFICATE-----
`;

export const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmxyF5qmwc3lusMgl
qZggewHnH7v5ZXrJUAR2moLmpm2hRANCAAQ+9djoCWZb/gCy38q5BerxAnJnHRCD
KyTrJVVscp+syIcKgh1aEbswhat0q4TtfxyFa8/1YfOFlDt1xE/u6Prw
-----END PRIVATE KEY-----
`;
