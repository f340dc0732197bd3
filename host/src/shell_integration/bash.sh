# Revenant shell integration for bash: marks prompts and commands with
# OSC 133, so `revenant subscribe` reports each command with its command
# line and exit status. Load it from ~/.bashrc:
#   [ -n "$REVENANT_SESSION_NAME" ] && source <(revenant setup --shell-integration bash)
if [ -n "${REVENANT_SESSION_NAME-}" ] && [ -z "${__revenant_integrated-}" ]; then
    __revenant_integrated=1
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
    __revenant_prompt() {
        local status=$?
        if [ -n "${__revenant_running-}" ]; then
            printf '\033]133;D;%s\007' "$status"
        fi
        __revenant_running=
        __revenant_at_prompt=1
        __revenant_in_prompt_command=1
        printf '\033]133;A\007'
        return $status
    }
    # The DEBUG trap fires for PROMPT_COMMAND's other hooks too (pyenv,
    # direnv, vte): those are not the user's command.
    __revenant_prompt_end() {
        local status=$?
        __revenant_in_prompt_command=
        return $status
    }
    __revenant_preexec() {
        [ -n "${__revenant_at_prompt-}" ] || return 0
        [ -n "${COMP_LINE-}" ] && return 0
        [ -n "${__revenant_in_prompt_command-}" ] && return 0
        [ "$BASH_COMMAND" = __revenant_prompt ] && return 0
        __revenant_at_prompt=
        __revenant_running=1
        local line
        line=$(HISTTIMEFORMAT= builtin history 1)
        line="${line#*[0-9]  }"
        printf '\033]133;C;cmdline_url=%s\007' "$(__revenant_url "$line")"
    }
    __revenant_rest="${PROMPT_COMMAND-}"
    # A trailing `;` (pyenv leaves one) would make `;;`.
    while [ "${__revenant_rest%[;[:space:]]}" != "$__revenant_rest" ]; do
        __revenant_rest="${__revenant_rest%[;[:space:]]}"
    done
    PROMPT_COMMAND="__revenant_prompt;${__revenant_rest:+$__revenant_rest;}__revenant_prompt_end"
    unset __revenant_rest
    PS1="${PS1}\[\033]133;B\007\]"
    trap '__revenant_preexec' DEBUG
fi
