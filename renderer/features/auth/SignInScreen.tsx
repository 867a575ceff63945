import { WipeNotice } from '../lock/WipeNotice';
import { SignInForm } from './SignInForm';

export function SignInScreen() {
  return (
    <main className="sign-in-screen">
      <div className="sign-in-card">
        <h1>Reclaim</h1>
        <p className="sign-in-lead">Sign in once with a connection; after that your jobs work without signal.</p>
        <WipeNotice />
        <SignInForm />
      </div>
    </main>
  );
}
