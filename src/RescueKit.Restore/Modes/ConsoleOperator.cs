using RescueKit.Restore.Execution;
using Spectre.Console;

namespace RescueKit.Restore.Modes;

/// <summary>The person at a plain console (serial or VT): the countdown on one line, a letter for each choice.</summary>
public sealed class ConsoleOperator(IAnsiConsole console, TextReader input) : IOperator
{
    public bool CountdownCompletes(int seconds)
    {
        console.WriteLine($"The disks above will be erased in {seconds} s. Press any key to stop.");
        // No terminal to read a key from (a pipe, a file): no one can stop it, so it is not waited for either.
        if (Console.IsInputRedirected) return true;
        for (var left = seconds; left > 0; left--)
        {
            console.Write($"\r{left,3} s ");
            for (var tick = 0; tick < 10; tick++)
            {
                if (Console.KeyAvailable)
                {
                    Console.ReadKey(intercept: true);
                    console.WriteLine();
                    return false;
                }
                Thread.Sleep(100);
            }
        }
        console.WriteLine();
        return true;
    }

    public string? AskSecret(string prompt)
    {
        if (Console.IsInputRedirected) return null;
        console.Write($"{prompt}: ");
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (secret.Length > 0) secret.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) secret.Append(key.KeyChar);
        }
        console.WriteLine();
        return secret.ToString();
    }

    public bool AskForMedium(string prompt)
    {
        console.Write($"{prompt}, then press Enter (q and Enter gives up): ");
        var answer = input.ReadLine();
        return answer is not null && !answer.Trim().Equals("q", StringComparison.OrdinalIgnoreCase);
    }

    public StepDecision Decide(StepFailedException failure)
    {
        while (true)
        {
            console.Write("r) retry  s) skip it  x) expert shell, then retry  a) abort (a resume continues here later): ");
            switch (input.ReadLine()?.Trim().ToLowerInvariant())
            {
                case "r": return StepDecision.Retry;
                case "s": return StepDecision.Skip;
                case "x": return StepDecision.Shell;
                case "a" or null: return StepDecision.Abort;
            }
        }
    }
}
