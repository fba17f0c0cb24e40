package dev.pipewright.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when its file changes ({@code server.watch_config: true}). Editors write a file in
 * several steps, so a reload runs once the file has been quiet for the debounce period, and only when its content
 * changed (see {@link ConfigReloads#reloadIfChanged}).
 */
final class ConfigWatch implements AutoCloseable {
    static final Duration DEBOUNCE = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

    private final WatchService watcher;
    private final ScheduledExecutorService debounce;
    private final Thread loop;
    private ScheduledFuture<?> pending;

    private ConfigWatch(Path file, ConfigReloads reloads) throws IOException {
        Path absolute = file.toAbsolutePath();
        this.watcher = FileSystems.getDefault().newWatchService();
        absolute.getParent()
                .register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE);
        this.debounce = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("pipewright-config-watch-debounce")
                .factory());
        Path name = absolute.getFileName();
        this.loop = Thread.ofPlatform()
                .daemon()
                .name("pipewright-config-watch")
                .start(() -> watch(name, () -> reloads.reloadIfChanged("file-watch")));
    }

    static ConfigWatch start(Path file, ConfigReloads reloads) throws IOException {
        log.info("watching {} for changes", file);
        return new ConfigWatch(file, reloads);
    }

    private void watch(Path name, Runnable reload) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= name.equals(event.context());
                }
                key.reset();
                if (ours) {
                    schedule(reload);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // Closed: the process is stopping.
        }
    }

    private synchronized void schedule(Runnable reload) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = debounce.schedule(reload, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            log.debug("closing the config watch: {}", e.toString());
        }
        debounce.shutdownNow();
        loop.interrupt();
    }
}
