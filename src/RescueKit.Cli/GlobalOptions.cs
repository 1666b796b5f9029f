using System.CommandLine;
using Serilog.Events;

namespace RescueKit.Cli;

/// <summary>Options every verb takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<LogEventLevel> LogLevel = new("--log-level")
    {
        Description = "Console log level: Verbose, Debug, Information, Warning, Error",
        DefaultValueFactory = _ => LogEventLevel.Information,
        Recursive = true,
    };

    public static readonly Option<string?> LogFile = new("--log-file")
    {
        Description = "Also write a JSON log (every event, Debug and up) to this file",
        Recursive = true,
    };

    /// <summary>The time stamped into outputs: SOURCE_DATE_EPOCH when set (reproducible builds), else now.</summary>
    public static DateTimeOffset BuildTime()
    {
        var sde = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (sde is not null)
        {
            if (!long.TryParse(sde, out var seconds) || seconds < 0)
                throw new Core.BadInputException($"SOURCE_DATE_EPOCH '{sde}' is not a number of seconds since 1970: unset it or fix it");
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        return DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    public static string Version =>
        typeof(GlobalOptions).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
