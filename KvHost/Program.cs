using KvHost.Hosting;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync();
}

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

await KvNode.Build(settings).RunAsync();
return 0;
