// Cluster DNS of tools/cluster's single-node cluster: CoreDNS with only the
// plugins its Corefile uses (the full default build pulls in every cloud
// provider's SDK, which triples the build for nothing).
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// The plugins run in CoreDNS's own order (core/dnsserver/zdirectives.go); a Corefile
// naming a plugin that is not linked in fails at start-up.
func main() {
	coremain.Run()
}
