using Spectre.Console;
using Spectre.Console.Rendering;

namespace KvPerf.Tests.TestKit;

/// <summary>Renders a Spectre.Console table as a terminal without colour would print it, 200 columns wide unless told.</summary>
public static class PlainConsole
{
    /// <summary>The text of <paramref name="renderable"/>, lines separated by <c>\n</c>.</summary>
    public static string Render(IRenderable renderable, int width = 200)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Write(renderable);
        return writer.ToString();
    }
}
