# Revenant shell integration for zsh: marks prompts and commands with
# OSC 133, so `revenant subscribe` reports each command with its command
# line and exit status. Load it from ~/.zshrc:
#   [[ -n $REVENANT_SESSION_NAME ]] && source <(revenant setup --shell-integration zsh)
if [[ -n ${REVENANT_SESSION_NAME-} && -z ${__revenant_integrated-} ]]; then
    __revenant_integrated=1
    __revenant_url() {
        local LC_ALL=C s=$1 out= c i
        for (( i = 1; i <= ${#s}; i++ )); do
            c=${s[i]}
            case $c in
                [a-zA-Z0-9._~/-]) out+=$c ;;
                *) out+=$(printf '%%%02X' "'$c") ;;
            esac
        done
        print -rn -- $out
    }
    __revenant_precmd() {
        local st=$?
        [[ -n ${__revenant_running-} ]] && printf '\033]133;D;%s\007' $st
        __revenant_running=
        printf '\033]133;A\007'
    }
    __revenant_preexec() {
        __revenant_running=1
        printf '\033]133;C;cmdline_url=%s\007' "$(__revenant_url "$1")"
    }
    autoload -Uz add-zsh-hook
    add-zsh-hook precmd __revenant_precmd
    add-zsh-hook preexec __revenant_preexec
    PS1="${PS1}%{$(printf '\033]133;B\007')%}"
fi
