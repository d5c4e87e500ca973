package jp.hitotsu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the server under test spends during the measured window, read from {@code /proc}:
 * CPU time (utime + stime) of the server JVM alone (of all of them, when several instances
 * share the load), CPU time of the PostgreSQL processes of
 * that server's data directory (the postmaster, its live children and the children that
 * ended, through the postmaster's cutime + cstime), and the JVM's resident memory
 * (VmRSS sampled every 250 ms, VmHWM at the end; of the first instance). Started when the first virtual user enters the simulation's
 * measured window (after the warm-up) and stopped in its {@code after()}, so the window is
 * the load itself, not the warm-up, the load tool's start or its report.
 */
public final class ServerProbe {

	private final BenchConfig config;

	private final long clockTicks;

	private long startNanos;

	private long jvmTicksStart;

	private long pgTicksStart;

	private long rssStartKb;

	private volatile long rssMaxKb;

	private volatile boolean running;

	private Thread sampler;

	public ServerProbe(BenchConfig config) {
		this.config = config;
		this.clockTicks = config.clockTicks();
	}

	public boolean enabled() {
		return this.config.serverPid() > 0;
	}

	/** Starts the window; later calls do nothing (every virtual user calls it). */
	public synchronized void startOnce() {
		if (!enabled() || this.startNanos != 0) {
			return;
		}
		this.rssStartKb = status(this.config.serverPid(), "VmRSS");
		this.rssMaxKb = this.rssStartKb;
		this.jvmTicksStart = jvmTicks();
		this.pgTicksStart = postgresTicks();
		this.startNanos = System.nanoTime();
		this.running = true;
		this.sampler = new Thread(() -> {
			while (this.running) {
				long rss = status(this.config.serverPid(), "VmRSS");
				if (rss > this.rssMaxKb) {
					this.rssMaxKb = rss;
				}
				try {
					Thread.sleep(250);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-rss-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	public synchronized void stop() {
		if (!enabled() || this.startNanos == 0) {
			return;
		}
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		long jvmTicks = jvmTicks() - this.jvmTicksStart;
		long pgTicks = postgresTicks() - this.pgTicksStart;
		this.running = false;
		this.sampler.interrupt();
		long hwm = status(this.config.serverPid(), "VmHWM");
		long rssEnd = status(this.config.serverPid(), "VmRSS");
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("windowSeconds", seconds);
		result.put("jvmCpuSeconds", jvmTicks / (double) this.clockTicks);
		result.put("pgCpuSeconds", this.config.pgDataDir().isEmpty() ? -1 : pgTicks / (double) this.clockTicks);
		result.put("rssStartKb", this.rssStartKb);
		result.put("rssMaxKb", Math.max(this.rssMaxKb, rssEnd));
		result.put("rssEndKb", rssEnd);
		result.put("hwmKb", hwm);
		if (!this.config.probeOut().isEmpty()) {
			try {
				Files.writeString(Path.of(this.config.probeOut()), Http.JSON.writeValueAsString(result));
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot write " + this.config.probeOut(), ex);
			}
		}
		System.out.println("server probe: " + result);
	}

	private long jvmTicks() {
		return this.config.serverPids().stream().mapToLong((pid) -> cpuTicks(pid, false)).sum();
	}

	/** utime + stime (+ cutime + cstime when asked) of a process, in clock ticks. */
	static long cpuTicks(long pid, boolean withEndedChildren) {
		String stat;
		try {
			stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return 0;
		}
		// the command name (field 2) may hold spaces: count fields after its closing ')'
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		if (withEndedChildren) {
			ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
		}
		return ticks;
	}

	static long status(long pid, String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return 0;
	}

	/** The postmaster of the data directory and its children, ended children included. */
	private long postgresTicks() {
		if (this.config.pgDataDir().isEmpty()) {
			return 0;
		}
		long postmaster;
		try {
			postmaster = Long.parseLong(Files.readAllLines(Path.of(this.config.pgDataDir(), "postmaster.pid")).get(0).trim());
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
		long ticks = cpuTicks(postmaster, true);
		for (long child : children(postmaster)) {
			ticks += cpuTicks(child, false);
		}
		return ticks;
	}

	private static List<Long> children(long parent) {
		List<Long> children = new ArrayList<>();
		try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
			for (Path proc : (Iterable<Path>) procs::iterator) {
				String name = proc.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				long pid = Long.parseLong(name);
				if (status(pid, "PPid") == parent) {
					children.add(pid);
				}
			}
		}
		catch (IOException ex) {
			return children;
		}
		return children;
	}

}
