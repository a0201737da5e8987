export const settings = {
  port: Number(process.env.PORT || 5000),
};
