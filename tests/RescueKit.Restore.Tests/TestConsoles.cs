using Spectre.Console;

namespace RescueKit.Restore.Tests;

/// <summary>A Spectre console writing plain text to a StringWriter, 80 columns, as a serial line would show it.</summary>
internal static class TestConsoles
{
    public static (IAnsiConsole Console, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 80;
        return (console, output);
    }
}
