namespace KvHost.Tests.TestKit;

/// <summary>
/// Retries an assertion until it passes or a deadline passes: how specs wait for convergence
/// without a bare sleep. The deadline bounds the wait; it is not a speed being asserted.
/// </summary>
public static class Eventually
{
    public static async Task AssertAsync(Func<Task> assertion, TimeSpan within, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
