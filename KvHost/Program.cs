using KvHost.Hosting;

NodeSettings settings;
try
{
    var environment = Environment.GetEnvironmentVariables()
        .Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
    settings = NodeSettings.FromEnvironment(environment);
}
catch (InvalidSettingException ex)
{
    // One line that names the variable, and a distinct exit code, so `docker-compose logs` says it all.
    await Console.Error.WriteLineAsync($"kvstore: {ex.Message}");
    return 2;
}

// Name lookups block a pool thread each on Linux (getaddrinfo; dotnet/runtime#48566), and a follower
// being stopped sets off many at once (reconnects, catch-up requests). With the default minimum of
// one thread per core, the leader on 2 cores then stalled for ~2 s, its own /health included (1 in 3
// stops; 0 in 5 with this, measured when entries were still pushed over HTTP). Enough threads from
// the start to ride that out; on the Akka core the raised minimum costs no measurable speed.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);

WebApplication node;
try
{
    node = KvNode.Build(settings);
}
catch (KvActors.Storage.StorageException ex)
{
    // A DATA_DIR that cannot be opened or a damaged data file: one line, as for any bad setting.
    await Console.Error.WriteLineAsync($"kvstore: {ex.Message}");
    return 2;
}

await node.RunAsync();
return 0;
