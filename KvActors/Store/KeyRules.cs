using System.Text;

namespace KvActors.Store;

/// <summary>What a key may be: 1 to <see cref="MaxKeyBytes"/> bytes of UTF-8, no control characters.</summary>
public static class KeyRules
{
    /// <summary>Longest key in UTF-8 bytes, as in the contract (<c>../shared/API.md</c>).</summary>
    public const int MaxKeyBytes = 256;

    /// <summary>Checks a key.</summary>
    /// <param name="key">The decoded key, or null when none was given.</param>
    /// <returns>Null when valid, otherwise a sentence saying what is wrong, for a 400 problem's detail.</returns>
    public static string? Validate(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "the key is empty; it must be 1 to 256 bytes of UTF-8";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return "the key is not valid UTF-8 (it contains an unpaired surrogate)";
        }

        if (bytes > MaxKeyBytes)
        {
            return $"the key is {bytes} bytes of UTF-8; it must be at most {MaxKeyBytes}";
        }

        return key.Any(char.IsControl) ? "the key contains a control character" : null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
