package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  static final List<URI> THREE =
      List.of(
          URI.create("ws://127.0.0.1:1/v1/stream"),
          URI.create("ws://127.0.0.2:2/v1/stream"),
          URI.create("ws://127.0.0.3:3/v1/stream"));

  @Test
  void next_visitsEveryServerOnce_beforeComingBack() {
    Endpoints e = new Endpoints(THREE);
    URI first = e.url();
    Set<URI> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      seen.add(e.url());
      assertThat(e.address().getPort()).isEqualTo(e.url().getPort());
      e.next();
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(THREE);
    assertThat(e.url()).isEqualTo(first);
  }

  @Test
  void clients_startOnDifferentServers() {
    Set<URI> starts = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      starts.add(new Endpoints(THREE).url());
    }
    assertThat(starts).hasSize(3); // (1 - (2/3)^200 chance per server: never all on one)
  }

  @Test
  void aHostNameWithSeveralAddresses_isTriedAddressByAddress() throws Exception {
    InetAddress[] all = InetAddress.getAllByName("localhost");
    Endpoints e = new Endpoints(List.of(URI.create("ws://localhost:9/v1/stream")));
    Set<InetAddress> seen = new HashSet<>();
    for (int i = 0; i < all.length; i++) {
      seen.add(e.address().getAddress());
      e.next();
    }
    assertThat(seen).containsExactlyInAnyOrder(all);
  }

  @Test
  void anUnknownHost_givesAnUnresolvedAddress_notAnException() {
    Endpoints e = new Endpoints(List.of(URI.create("ws://no-such-host.invalid:9/v1/stream")));
    assertThat(e.address().isUnresolved()).isTrue();
  }
}
