#!/bin/sh
# Regenerates the PEM fixtures of TlsKeyPairTest with the openssl binary, so that parsing is
# checked against a third-party encoder rather than against Portico's own generator.
# Certificates are valid for 100 years: the fixtures must not expire under the tests.
# Usage: cd tls/src/test/resources/pem && sh generate.sh
set -eu
days=36500

# RSA: one key in PKCS#1 ("BEGIN RSA PRIVATE KEY") and PKCS#8 ("BEGIN PRIVATE KEY").
openssl genrsa -traditional -out rsa-pkcs1.key 2048
openssl pkey -in rsa-pkcs1.key -out rsa-pkcs8.key
openssl req -x509 -new -key rsa-pkcs1.key -days "$days" -subj /CN=rsa.test \
  -addext "subjectAltName=DNS:rsa.test,DNS:*.rsa.test" -out rsa.crt

# EC P-256: SEC1 without and with the EC PARAMETERS block, and PKCS#8.
openssl ecparam -name prime256v1 -genkey -out ec-sec1-with-params.key
openssl ec -in ec-sec1-with-params.key -out ec-sec1.key
openssl pkey -in ec-sec1.key -out ec-pkcs8.key
openssl req -x509 -new -key ec-sec1.key -days "$days" -subj /CN=ec.test \
  -addext "subjectAltName=DNS:ec.test,IP:127.0.0.1" -out ec.crt

# EC P-384, PKCS#8.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out ec-p384-pkcs8.key
openssl req -x509 -new -key ec-p384-pkcs8.key -days "$days" -subj /CN=p384.test \
  -addext "subjectAltName=DNS:p384.test" -out ec-p384.crt

# Other keys of the same types, for the mismatch cases.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other-rsa-pkcs8.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out other-ec-pkcs8.key

# Encrypted keys (passphrase "secret"): PKCS#8, and the traditional Proc-Type form.
openssl pkey -in rsa-pkcs8.key -aes256 -passout pass:secret -out rsa-encrypted-pkcs8.key
openssl rsa -in rsa-pkcs1.key -traditional -aes256 -passout pass:secret -out rsa-encrypted-pkcs1.key
openssl ec -in ec-sec1.key -aes256 -passout pass:secret -out ec-encrypted-sec1.key

# A chain: root -> intermediate -> leaf. tls.crt holds leaf then intermediate (no root).
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout chain-root.key \
  -days "$days" -subj "/CN=Fixture Root" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign -out chain-root.crt
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout chain-intermediate.key \
  -subj "/CN=Fixture Intermediate" -out chain-intermediate.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ext-ca.cnf
openssl x509 -req -in chain-intermediate.csr -CA chain-root.crt -CAkey chain-root.key -CAcreateserial \
  -days "$days" -extfile ext-ca.cnf -out chain-intermediate.crt
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout chain-leaf.key \
  -subj /CN=chain.test -out chain-leaf.csr
printf 'subjectAltName=DNS:chain.test\nextendedKeyUsage=serverAuth\n' > ext-leaf.cnf
openssl x509 -req -in chain-leaf.csr -CA chain-intermediate.crt -CAkey chain-intermediate.key \
  -CAcreateserial -days "$days" -extfile ext-leaf.cnf -out chain-leaf.crt
cat chain-leaf.crt chain-intermediate.crt > chain-leaf-and-intermediate.crt
rm -f chain-*.csr chain-*.srl ext-*.cnf chain-root.key chain-intermediate.key chain-leaf.crt

# No subjectAltName at all: only a CN (clients ignore it, so must Portico).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out no-san.key
openssl req -x509 -new -key no-san.key -days "$days" -subj /CN=no-san.test -out no-san.crt

# Mixed-case SAN names and a trailing-label wildcard: dnsNames() lower-cases them.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out mixed-case.key
openssl req -x509 -new -key mixed-case.key -days "$days" -subj /CN=Mixed.Test \
  -addext "subjectAltName=DNS:Mixed.Test,DNS:*.WILD.Mixed.Test" -out mixed-case.crt

# SAN names that are not valid patterns (a '*' inside a label, two wildcard labels), beside one
# valid name: SNI selection skips the former.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out odd-sans.key
openssl req -x509 -new -key odd-sans.key -days "$days" -subj /CN=odd.test \
  -addext "subjectAltName=DNS:a*.odd.test,DNS:*.*.odd.test,DNS:ok.odd.test" -out odd-sans.crt
