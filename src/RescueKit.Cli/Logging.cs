using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace RescueKit.Cli;

/// <summary>Serilog set-up: readable lines on stderr, and a JSON file log when --log-file is given.</summary>
internal static class Logging
{
    public static Logger Create(LogEventLevel level, string? logFile, bool quietConsole)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level < LogEventLevel.Information ? level : LogEventLevel.Debug)
            .WriteTo.Console(
                restrictedToMinimumLevel: quietConsole ? LogEventLevel.Warning : level,
                outputTemplate: "{Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (logFile is not null)
            config = config.WriteTo.File(new JsonFormatter(renderMessage: true), logFile, restrictedToMinimumLevel: LogEventLevel.Debug);
        return config.CreateLogger();
    }

    /// <summary>While a full-screen UI is up: warnings and errors to <paramref name="screen"/> instead of stderr, and
    /// the file log as usual.</summary>
    public static Logger CreateForScreen(LogEventLevel level, string? logFile, ILogEventSink screen)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level < LogEventLevel.Information ? level : LogEventLevel.Debug)
            .WriteTo.Sink(screen, restrictedToMinimumLevel: LogEventLevel.Warning);
        if (logFile is not null)
            config = config.WriteTo.File(new JsonFormatter(renderMessage: true), logFile, restrictedToMinimumLevel: LogEventLevel.Debug);
        return config.CreateLogger();
    }
}
