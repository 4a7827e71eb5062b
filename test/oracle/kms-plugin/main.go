// A small KMS v2 plugin for the encryption oracle (test/oracle/encryption.test.ts): it serves the
// KMS v2 gRPC API with k8s.io/kms's own server (pkg/service) on a unix socket and wraps the API
// server's DEK seeds with AES-256-GCM under one key read from a file. It exists only so that the
// real kube-apiserver can be run with a kms v2 provider in a test; it is not a KMS.
package main

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/kms/pkg/service"
)

type plugin struct {
	aead  cipher.AEAD
	keyID string
}

func (p *plugin) Encrypt(_ context.Context, _ string, plaintext []byte) (*service.EncryptResponse, error) {
	nonce := make([]byte, p.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return &service.EncryptResponse{Ciphertext: p.aead.Seal(nonce, nonce, plaintext, nil), KeyID: p.keyID}, nil
}

func (p *plugin) Decrypt(_ context.Context, _ string, req *service.DecryptRequest) ([]byte, error) {
	if req.KeyID != p.keyID {
		return nil, errors.New("unknown key id " + req.KeyID)
	}
	n := p.aead.NonceSize()
	if len(req.Ciphertext) < n {
		return nil, errors.New("ciphertext too short")
	}
	return p.aead.Open(nil, req.Ciphertext[:n], req.Ciphertext[n:], nil)
}

func (p *plugin) Status(context.Context) (*service.StatusResponse, error) {
	return &service.StatusResponse{Version: "v2", Healthz: "ok", KeyID: p.keyID}, nil
}

func main() {
	socket := flag.String("socket", "", "unix socket to listen on")
	keyFile := flag.String("key-file", "", "file holding the 32-byte AES key")
	keyID := flag.String("key-id", "oracle-key-1", "key id reported to the API server")
	flag.Parse()
	key, err := os.ReadFile(*keyFile)
	if err != nil || len(key) != 32 {
		log.Fatalf("key file %q must hold 32 bytes: %v", *keyFile, err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		log.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		log.Fatal(err)
	}
	_ = os.Remove(*socket)
	server := service.NewGRPCService(*socket, 10*time.Second, &plugin{aead: aead, keyID: *keyID})
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		server.Shutdown()
	}()
	if err := server.ListenAndServe(); err != nil {
		log.Fatal(err)
	}
}
