// Real client-go clients for the audit-log test of `generate rbac` (test/control-plane/rbac-from-audit.test.ts):
// what controllers built on client-go send to the API server, so the audit log holds their requests.
//
//	audit-clients informer KUBECONFIG NAMESPACE   a SharedInformerFactory's Deployment informer: list, then watch, until synced
//	audit-clients status KUBECONFIG NAMESPACE NAME  a controller's status write: get the Deployment, UpdateStatus
//
// Exit status 0 on success; the error on stderr otherwise.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "audit-clients:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: audit-clients informer|status KUBECONFIG NAMESPACE [NAME]")
	}
	config, err := clientcmd.BuildConfigFromFlags("", args[1])
	if err != nil {
		return err
	}
	config.UserAgent = "kubeharden-audit-clients/" + args[0]
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	switch args[0] {
	case "informer":
		factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(args[2]))
		informer := factory.Apps().V1().Deployments().Informer()
		factory.Start(ctx.Done())
		if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
			return fmt.Errorf("the informer did not sync")
		}
		// The watch follows the list; keep it open a moment so the server records it.
		time.Sleep(2 * time.Second)
		cancel()
		factory.Shutdown()
		return nil
	case "status":
		if len(args) < 4 {
			return fmt.Errorf("status needs a Deployment name")
		}
		deployments := client.AppsV1().Deployments(args[2])
		d, err := deployments.Get(ctx, args[3], metav1.GetOptions{})
		if err != nil {
			return err
		}
		d.Status.ObservedGeneration = d.Generation
		_, err = deployments.UpdateStatus(ctx, d, metav1.UpdateOptions{})
		return err
	}
	return fmt.Errorf("unknown mode %q", args[0])
}
