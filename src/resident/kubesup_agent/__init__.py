"""kubesup-agent's parts; ../kubesup-agent.py runs them (and tells what the agent does)."""
