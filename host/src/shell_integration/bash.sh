# Revenant shell integration for bash (4.4 or newer): marks prompts and
# commands with OSC 133, so `revenant subscribe` reports each command with
# its command line and exit status, and scroll mode's [ ] and o find them.
# Load it from ~/.bashrc:
#   [ -n "$REVENANT_SESSION_NAME" ] && source <(revenant setup --shell-integration bash)
if [ -n "${REVENANT_SESSION_NAME-}" ] && [ -z "${__revenant_integrated-}" ] \
    && { [ "${BASH_VERSINFO[0]}" -gt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -ge 4 ]; }; }; then
    __revenant_integrated=1
    # The shell's command number: it moves only when a command line ran,
    # so an empty Enter reports nothing.
    __revenant_number='\#'
    __revenant_url() {
        local LC_ALL=C s="$1" out= c i
        for ((i = 0; i < ${#s}; i++)); do
            c=${s:i:1}
            case "$c" in
                [a-zA-Z0-9._~/-]) out+="$c" ;;
                *) printf -v c '%%%02X' "'$c"; out+="$c" ;;
            esac
        done
        printf '%s' "$out"
    }
    __revenant_history_number() {
        local number rest
        read -r number rest <<< "$(HISTTIMEFORMAT= builtin history 1)"
        printf '%s' "$number"
    }
    __revenant_prompt() {
        local status=$? number=${__revenant_number@P}
        if [ -n "${__revenant_last-}" ] && [ "$number" != "$__revenant_last" ]; then
            printf '\033]133;D;%s\007' "$status"
        fi
        __revenant_last=$number
        __revenant_history=$(__revenant_history_number)
        # A prompt framework that set PS1 again dropped the mark.
        case "$PS1" in
            *'\[\033]133;B\007\]') ;;
            *) PS1="${PS1}\[\033]133;B\007\]" ;;
        esac
        printf '\033]133;A\007'
        return $status
    }
    # PS0 is shown once a command line is read, before it runs: whatever
    # else PROMPT_COMMAND or a DEBUG trap holds, this is the user's command.
    # It runs in a subshell, so it only prints. A line that history did not
    # keep (HISTCONTROL) is marked without its text.
    __revenant_command() {
        local line
        line=$(HISTTIMEFORMAT= builtin history 1)
        if [ "$(__revenant_history_number)" != "${__revenant_history-}" ]; then
            line="${line#*[0-9]  }"
            printf '\033]133;C;cmdline_url=%s\007' "$(__revenant_url "$line")"
        else
            printf '\033]133;C\007'
        fi
    }
    PROMPT_COMMAND="__revenant_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
    PS0='$(__revenant_command)'"${PS0-}"
    PS1="${PS1}\[\033]133;B\007\]"
fi
