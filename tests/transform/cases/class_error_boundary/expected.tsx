import { Component } from 'react';

interface State {
  failed: boolean;
}

export class Boundary extends Component<{ children?: unknown }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: Error) {
    this.setState({ failed: true });
  }

  render() {
    return this.state.failed ? <p>Something went wrong.</p> : this.props.children;
  }
}
