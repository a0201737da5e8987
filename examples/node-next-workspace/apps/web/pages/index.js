import { greet } from "@demo/greeting";

// Rendered per request (getServerSideProps): the standalone server runs, not a static export.
export async function getServerSideProps() {
  return { props: { text: greet("node-next-workspace") } };
}

export default function Home({ text }) {
  return <p>{text}</p>;
}
