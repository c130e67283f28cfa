namespace KvHost.Hosting;

/// <summary>
/// A setting is missing or out of range. Its message is the one line the node prints before it
/// exits at start: it names the variable, its value and what it must be.
/// </summary>
public sealed class InvalidSettingException : Exception
{
    /// <summary>Creates the exception for <paramref name="variable"/>.</summary>
    /// <param name="variable">The environment variable, e.g. <c>WRITE_QUORUM</c>.</param>
    /// <param name="value">Its value, or null when unset.</param>
    /// <param name="requirement">What it must be, e.g. "an integer from 0 to 5 (the number of FOLLOWERS)".</param>
    public InvalidSettingException(string variable, string? value, string requirement)
        : base(value is null ? $"{variable} is not set: it must be {requirement}" : $"{variable}={value} is invalid: it must be {requirement}")
    {
        Variable = variable;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InvalidSettingException()
    {
        Variable = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidSettingException(string message)
        : base(message)
    {
        Variable = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Variable = string.Empty;
    }

    /// <summary>The offending environment variable.</summary>
    public string Variable { get; }
}
