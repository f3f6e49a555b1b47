package dev.dynconfig.internal.source.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The servers a source may use: the URLs of option {@code url} (several separated by {@code |}),
 * and for each URL every address its host name resolves to. The source connects to {@link
 * #address()} of {@link #url()} and calls {@link #next()} after a failure, so a client whose server
 * is gone moves to another one (its backoff unchanged). Each client takes the URLs, and each host's
 * addresses, in its own random order: thousands of applications given the same list spread over the
 * servers instead of all starting on the first one, and the clients of a failed server spread over
 * the others instead of all moving to the next one.
 */
final class Endpoints {
  private final List<URI> urls;
  private int urlIndex;
  private List<InetSocketAddress> addresses = List.of();
  private int addressIndex;

  Endpoints(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no server URL");
    }
    List<URI> shuffled = new ArrayList<>(urls);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    this.urls = List.copyOf(shuffled);
  }

  /** The URL in use. */
  synchronized URI url() {
    return urls.get(urlIndex);
  }

  /**
   * The address to connect to for {@link #url()}; the host name is resolved when the URL is first
   * used (again after every round through the list, so DNS changes are followed). An unknown host
   * gives an unresolved address, whose connection fails with the resolver's message.
   */
  synchronized InetSocketAddress address() {
    if (addresses.isEmpty()) {
      URI u = url();
      int port = ClientTls.port(u);
      List<InetSocketAddress> found = new ArrayList<>();
      try {
        for (InetAddress a : InetAddress.getAllByName(u.getHost())) {
          found.add(new InetSocketAddress(a, port));
        }
      } catch (UnknownHostException e) {
        found.add(InetSocketAddress.createUnresolved(u.getHost(), port));
      }
      Collections.shuffle(found, ThreadLocalRandom.current());
      addresses = found;
      addressIndex = 0;
    }
    return addresses.get(addressIndex);
  }

  /** Moves to the next address of this host, else to the next URL (wrapping around). */
  synchronized void next() {
    if (addressIndex + 1 < addresses.size()) {
      addressIndex++;
      return;
    }
    addresses = List.of();
    addressIndex = 0;
    urlIndex = (urlIndex + 1) % urls.size();
  }

  /** How many URLs (not addresses) there are. */
  int size() {
    return urls.size();
  }

  @Override
  public synchronized String toString() {
    String shown = RedactedUrl.of(url());
    return urls.size() == 1 ? shown : shown + " (1 of " + urls.size() + " servers)";
  }
}
