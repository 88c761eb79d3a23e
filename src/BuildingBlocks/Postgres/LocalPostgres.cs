using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace BuildingBlocks.Postgres;

/// <summary>
/// Runs a private PostgreSQL server from the machine's binaries: loopback only, a free port,
/// password authentication, and as an unprivileged account when the process runs as root
/// (initdb and postgres refuse root).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string ServiceAccount = "envycrm-pg";
    private const string Database = "envycrm";
    private const string Superuser = "postgres";

    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private readonly bool _throwaway;

    public string ConnectionString { get; }

    /// <summary>The PostgreSQL binaries folder, for tools such as pgbench.</summary>
    public string BinDirectory => _binDirectory;

    private LocalPostgres(string dataDirectory, string binDirectory, bool throwaway, string connectionString)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _throwaway = throwaway;
        ConnectionString = connectionString;
    }

    /// <summary>Starts (or reuses, when a previous run left it running) a server whose data lives in <paramref name="dataDirectory"/>.</summary>
    /// <param name="throwaway">Delete the data when disposed, and trade durability for speed (fsync off) unless <paramref name="durable"/>.</param>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, bool throwaway = false,
        IEnumerable<string>? searchDirectories = null, bool? durable = null, CancellationToken ct = default)
    {
        var bin = FindBinaries(searchDirectories ?? DefaultSearchDirectories()) ?? throw new LocalPostgresUnavailableException(
            "No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found on this machine. " +
            "Install them (Debian: `apt-get install postgresql-15`) or set ConnectionStrings__Postgres " +
            "to an existing database, e.g. \"Host=127.0.0.1;Port=5432;Database=envycrm;Username=…;Password=…\".");

        dataDirectory = Path.GetFullPath(dataDirectory);
        var cluster = Path.Combine(dataDirectory, "cluster");
        var passwordFile = Path.Combine(dataDirectory, "password");
        Directory.CreateDirectory(dataDirectory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await EnsureServiceAccountAsync(ct);
            if ((await TryRunAsync("runuser", ["-u", ServiceAccount, "--", "test", "-x", dataDirectory], ct)).ExitCode != 0)
                throw new LocalPostgresUnavailableException(
                    $"PostgreSQL runs as the unprivileged account {ServiceAccount}, which cannot reach {dataDirectory} " +
                    "(a parent folder is closed to other users). Move the checkout to an open folder, or set ConnectionStrings__Postgres.");
        }

        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            if (Directory.Exists(cluster)) Directory.Delete(cluster, recursive: true);
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (asRoot) await ChownAsync(dataDirectory, ct);
            await RunAsync(bin, "initdb", ["-D", cluster, "-U", Superuser, "--auth=scram-sha-256", $"--pwfile={passwordFile}",
                "-E", "UTF8", "--locale=C.UTF-8"], asRoot, ct);
        }
        var password = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();

        var runningPort = RunningPort(cluster);
        // A server a crashed run left behind on this data is taken over, and stopped on exit like one started here.
        var port = runningPort ?? FreeLoopbackPort();
        if (runningPort is null)
        {
            var options = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=200";
            if (!(durable ?? !throwaway)) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            await RunAsync(bin, "pg_ctl", ["-D", cluster, "-l", Path.Combine(dataDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"], asRoot, ct);
        }

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = Superuser, Password = password, Database = "postgres", Pooling = false,
        };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand($"select 1 from pg_database where datname = '{Database}'", connection);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"create database {Database}", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
        }
        admin.Database = Database;
        admin.Pooling = true;
        admin.MaxPoolSize = 100;
        return new LocalPostgres(dataDirectory, bin, throwaway, admin.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var asRoot = Environment.UserName == "root";
        await RunAsync(_binDirectory, "pg_ctl", ["-D", Path.Combine(_dataDirectory, "cluster"), "-m", "fast", "-w", "stop"], asRoot, CancellationToken.None);
        if (_throwaway) Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Debian's versioned folders (newest first), then PATH.</summary>
    public static IEnumerable<string> DefaultSearchDirectories()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates;
    }

    public static string? FindBinaries(IEnumerable<string> searchDirectories) =>
        searchDirectories.FirstOrDefault(dir =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres")));

    private static int? RunningPort(string cluster)
    {
        var pidFile = Path.Combine(cluster, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : port;
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: pg_ctl start cleans it up
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task EnsureServiceAccountAsync(CancellationToken ct)
    {
        if ((await TryRunAsync("id", ["-u", ServiceAccount], ct)).ExitCode == 0) return;
        var result = await TryRunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ServiceAccount], ct);
        if (result.ExitCode != 0 && (await TryRunAsync("id", ["-u", ServiceAccount], ct)).ExitCode != 0)
            throw new LocalPostgresUnavailableException($"Running as root, PostgreSQL needs an unprivileged account, and `useradd {ServiceAccount}` failed: {result.Output}");
    }

    private static async Task ChownAsync(string directory, CancellationToken ct)
    {
        var result = await TryRunAsync("chown", ["-R", $"{ServiceAccount}:", directory], ct);
        if (result.ExitCode != 0) throw new LocalPostgresUnavailableException($"chown of {directory} failed: {result.Output}");
    }

    private static async Task RunAsync(string bin, string tool, string[] arguments, bool asRoot, CancellationToken ct)
    {
        var path = Path.Combine(bin, tool);
        var result = asRoot
            ? await TryRunAsync("runuser", ["-u", ServiceAccount, "--", path, .. arguments], ct)
            : await TryRunAsync(path, arguments, ct);
        if (result.ExitCode != 0)
            throw new LocalPostgresUnavailableException($"{tool} failed (exit {result.ExitCode}): {result.Output}");
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(string file, string[] arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await stderr + await stdout).Trim());
    }
}

public sealed class LocalPostgresUnavailableException(string message) : Exception(message);
