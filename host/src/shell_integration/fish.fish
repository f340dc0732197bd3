# Revenant shell integration for fish: marks prompts and commands with
# OSC 133, so `revenant subscribe` reports each command with its command
# line and exit status. Load it from ~/.config/fish/config.fish:
#   set -q REVENANT_SESSION_NAME; and revenant setup --shell-integration fish | source
if set -q REVENANT_SESSION_NAME; and not set -q __revenant_integrated
    set -g __revenant_integrated 1
    function __revenant_prompt --on-event fish_prompt
        if set -q __revenant_running
            printf '\e]133;D;%s\a' $__revenant_status
            set -e __revenant_running
        end
        printf '\e]133;A\a'
    end
    function __revenant_preexec --on-event fish_preexec
        set -g __revenant_running 1
        printf '\e]133;C;cmdline_url=%s\a' (string escape --style=url -- "$argv")
    end
    function __revenant_postexec --on-event fish_postexec
        set -g __revenant_status $status
    end
end
