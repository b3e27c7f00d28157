using System.Diagnostics;
using System.Security.Cryptography;

#pragma warning disable CA1416 // Linux-only by design: Debian packages and Unix permissions

namespace Coordination.Api.Infrastructure;

/// <summary>Where and how the private PostgreSQL+PostGIS cluster lives.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Cluster home (data/, sock/, server.log inside); default <c>.data/pg</c> in the checkout.</summary>
    public string? DataDirectory { get; set; }
    public int Port { get; set; } = 55432;
    public string Database { get; set; } = "coordination";
    /// <summary>Directory with initdb/pg_ctl; default: newest /usr/lib/postgresql/N/bin that has PostGIS.</summary>
    public string? BinDirectory { get; set; }
    /// <summary>Unprivileged OS user that runs the server when we are root.</summary>
    public string OsUser { get; set; } = "postgres";
}

/// <summary>
/// Starts (or reuses) a private PostgreSQL cluster from Debian's packages. PostgreSQL refuses to
/// run as root, so as root every server command runs through <c>runuser</c> as an unprivileged user.
/// The cluster listens on loopback only, on its own port and socket directory, with a generated
/// password kept next to the data directory (never in the repository).
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    const string SuperUser = "postgres";
    readonly EmbeddedPostgresOptions _options;
    readonly string _home;
    readonly string _dataDir;
    readonly string _binDir;
    readonly Action<string> _log;
    bool _startedHere;

    public EmbeddedPostgres(EmbeddedPostgresOptions options, Action<string>? log = null)
    {
        _options = options;
        _log = log ?? (m => Console.Error.WriteLine($"[postgres] {m}"));
        _home = Path.GetFullPath(options.DataDirectory ?? Path.Combine(RepositoryRoot(), ".data", "pg"));
        _dataDir = Path.Combine(_home, "data");
        _binDir = options.BinDirectory ?? FindBinDirectory();
    }

    public string DataDirectory => _dataDir;
    // The home belongs to the server user; the password stays beside it, readable by us only.
    string SocketDir => Path.Combine(_home, "sock");
    string LogFile => Path.Combine(_home, "server.log");
    string PasswordFile => _home + ".password";
    static bool IsRoot => Environment.UserName == "root";

    /// <summary>The connection string for <paramref name="database"/> (the default database if null).</summary>
    public string ConnectionString(string? database = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _options.Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database ?? _options.Database,
        // Several test classes and the app share the cluster; keep pools small.
        MaxPoolSize = 20,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Initialises the cluster if needed, starts it if it is not running, and creates the database.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(_home);
        if (IsRoot) EnsureTraversable(_home);

        if (!File.Exists(Path.Combine(_dataDir, "PG_VERSION")))
            await InitAsync(ct);

        Directory.CreateDirectory(SocketDir);
        if (IsRoot) Chown(_home);

        if (await RunAsync("pg_ctl", ["status", "-D", _dataDir], ct, throwOnError: false) != 0)
        {
            _log($"starting cluster {_dataDir} on 127.0.0.1:{_options.Port}");
            var serverOptions = $"-p {_options.Port} -k {SocketDir} -c listen_addresses=127.0.0.1 -c max_connections=200 " +
                                "-c shared_buffers=256MB -c fsync=on -c max_parallel_workers_per_gather=2";
            await RunAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", _dataDir, "-l", LogFile, "-o", serverOptions], ct);
            _startedHere = true;
        }
        else _log($"reusing running cluster {_dataDir}");

        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", _options.Database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_options.Database}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
            _log($"created database {_options.Database}");
        }
    }

    /// <summary>Stops the cluster if this instance started it.</summary>
    public async Task StopAsync()
    {
        if (!_startedHere) return;
        _startedHere = false;
        NpgsqlConnection.ClearAllPools();
        _log("stopping cluster");
        await RunAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", _dataDir], CancellationToken.None, throwOnError: false);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    async Task InitAsync(CancellationToken ct)
    {
        _log($"initialising cluster in {_dataDir}");
        Directory.CreateDirectory(_dataDir);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        var pwTemp = Path.Combine(_home, $".pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(pwTemp, password, ct);
        try
        {
            if (IsRoot) Chown(_home);
            // UTF8 and C.UTF-8 explicitly: a bare environment can yield SQL_ASCII, which breaks Vietnamese text.
            await RunAsync("initdb", ["-D", _dataDir, "-U", SuperUser, "-E", "UTF8", "--locale=C.UTF-8",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--pwfile", Path.GetFullPath(pwTemp)], ct);
        }
        finally { File.Delete(pwTemp); }
        await File.WriteAllTextAsync(PasswordFile, password, ct);
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    async Task<int> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (IsRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", _options.OsUser, "--", Path.Combine(_binDir, tool) }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = Path.Combine(_binDir, tool);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.WorkingDirectory = "/";

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        // pg_ctl start leaves the server holding inherited pipes; read stdout/stderr without waiting for EOF.
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0 && throwOnError)
        {
            var err = await Task.WhenAny(stderr, Task.Delay(500, ct)) == stderr ? await stderr : "";
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {err}\n{log}");
        }
        return p.ExitCode;
    }

    void Chown(string path)
    {
        using var p = Process.Start("chown", ["-R", $"{_options.OsUser}:", path]);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"chown {path} failed");
    }

    /// <summary>
    /// The server user must be able to reach its data directory. A checkout under /root (mode 0700)
    /// blocks it, so grant search permission (x, not read) on each ancestor that lacks it, and say so.
    /// </summary>
    void EnsureTraversable(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            var mode = File.GetUnixFileMode(d.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(d.FullName, mode | UnixFileMode.OtherExecute);
                _log($"granted o+x on {d.FullName} so that user '{_options.OsUser}' can reach the data directory");
            }
        }
    }

    static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (dir: d, ok: int.TryParse(Path.GetFileName(d), out var v), v))
                .Where(x => x.ok && File.Exists($"/usr/share/postgresql/{x.v}/extension/postgis.control"))
                .OrderByDescending(x => x.v).Select(x => Path.Combine(x.dir, "bin")).ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "No PostgreSQL with PostGIS found under /usr/lib/postgresql. Install it: apt-get install postgresql-15-postgis-3 (the run script does this).");
    }

    /// <summary>The checkout root: the nearest ancestor holding Coordination.sln.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Coordination.sln"))) return d.FullName;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".coordination");
    }
}
